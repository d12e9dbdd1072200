from django.views.generic import DetailView
from django_filters.views import FilterView

from organisations.tenancy import OrganisationMixin

from .filters import PersonFilter


class PersonListView(OrganisationMixin, FilterView):
    required_capability = "participants.view"
    filterset_class = PersonFilter
    template_name = "participants/person_list.html"
    paginate_by = 50

    def get_queryset(self):
        return self.organisation.people.select_related("partner")


class PersonDetailView(OrganisationMixin, DetailView):
    required_capability = "participants.view"
    template_name = "participants/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return self.organisation.people.select_related("partner", "user")

    def get_context_data(self, **kwargs):
        person = self.object
        parent_links = person.parent_links.select_related("parent__organisation")
        child_links = person.children_links.select_related("child__organisation")
        kwargs["parents"] = [link.parent for link in parent_links]
        kwargs["children"] = [link.child for link in child_links]
        return super().get_context_data(**kwargs)

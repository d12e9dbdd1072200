from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import CreateView, DetailView, FormView, UpdateView, View
from django_filters.views import FilterView

from organisations.declension import CASE_LABELS
from organisations.http import safe_next
from organisations.russian import plural
from organisations.school_year import current_school_year
from organisations.tenancy import OrganisationMixin

from .extensions import card_sections
from .filters import AccessLogFilter, PersonFilter
from .forms import NAME_FORM_FIELDS, PARENT_SEARCH_LIMIT, ParentAddForm, PersonForm, parent_candidates
from .journal import access_record
from .models import AccessLogEntry
from .selectors import people_annotate_consent, person_history
from .services_bases import bases_add_people, tags_set
from .services_people import parent_link_add, person_delete


class PersonListView(OrganisationMixin, FilterView):
    required_capability = "participants.view"
    filterset_class = PersonFilter
    template_name = "participants/person_list.html"
    paginate_by = 50

    def get_queryset(self):
        return people_annotate_consent(self.organisation.people.select_related("partner").prefetch_related("tags"))

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "organisation": self.organisation}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = len(context["object_list"])
        if shown:
            access_record(
                request=self.request,
                organisation=self.organisation,
                action="view",
                what="Список участников",
                people_count=shown,
            )
        return context


class PersonBulkBaseView(OrganisationMixin, View):
    """Adds the people ticked on the list to this school year's mentor or mentee base."""

    required_capability = "participants.edit"

    def post(self, request, *args, **kwargs):
        base = request.POST.get("base")
        ids = [int(value) for value in request.POST.getlist("person") if value.isdigit()]
        back = safe_next(request, reverse("participants:person_list", kwargs={"org": self.organisation.slug}))
        if base not in {"mentor", "mentee"} or not ids:
            messages.error(request, "Отметьте хотя бы одного человека в списке и выберите базу.")
            return redirect(back)
        try:
            added, already = bases_add_people(
                organisation=self.organisation,
                person_ids=ids,
                base=base,
                school_year=current_school_year(),
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(back)
        base_name = "наставников" if base == "mentor" else "наставляемых"
        access_record(
            request=request,
            organisation=self.organisation,
            action="change",
            what=f"Добавление в базу {base_name}",
            people_count=added,
        )
        text = f"В базу {base_name} добавлено: {added} {plural(added, 'человек', 'человека', 'человек')}."
        if already:
            text += f" Уже были в базе: {already}."
        messages.success(request, text)
        return redirect(back)


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
        kwargs["tags"] = list(person.tags.all())
        kwargs["name_cases"] = [(case.value, CASE_LABELS[case]) for case, _label in NAME_FORM_FIELDS.values()]
        kwargs["history"] = person_history(person=person)
        kwargs["card_sections"] = card_sections(person=person, organisation=self.organisation, access=self.access)
        access_record(
            request=self.request,
            organisation=self.organisation,
            action="view",
            what="Карточка участника",
            person=person,
        )
        return super().get_context_data(**kwargs)


class PersonFormMixin:
    form_class = PersonForm
    template_name = "participants/person_form.html"
    required_capability = "participants.edit"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        form.extensions_save(self.object)
        tags_set(organisation=self.organisation, person=self.object, names=form.tag_names)
        access_record(
            request=self.request,
            organisation=self.organisation,
            action="change",
            what=self.change_description,
            person=self.object,
        )
        messages.success(self.request, self.success_message.format(name=self.object.full_name))
        return response


class PersonCreateView(PersonFormMixin, OrganisationMixin, CreateView):
    change_description = "Создание записи участника"
    success_message = "Запись «{name}» создана."


class PersonUpdateView(PersonFormMixin, OrganisationMixin, UpdateView):
    change_description = "Изменение записи участника"
    success_message = "Изменения в записи «{name}» сохранены."

    def get_queryset(self):
        return self.organisation.people.all()


class PersonDeleteView(OrganisationMixin, View):
    required_capability = "participants.edit"

    def post(self, request, *args, **kwargs):
        person = get_object_or_404(self.organisation.people, pk=kwargs["pk"])
        name = person.full_name
        try:
            person_delete(person=person)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(person)
        access_record(request=request, organisation=self.organisation, action="change", what=f"Удаление записи: {name}")
        messages.success(request, f"Запись «{name}» удалена.")
        return redirect("participants:person_list", org=self.organisation.slug)


class ParentAddView(OrganisationMixin, FormView):
    required_capability = "participants.edit"
    form_class = ParentAddForm
    template_name = "participants/parent_form.html"

    def get_child(self):
        if not hasattr(self, "child"):
            self.child = get_object_or_404(self.organisation.people, pk=self.kwargs["pk"])
        return self.child

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation, "child": self.get_child()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(child=self.get_child(), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        new_parent = {key: data[key] for key in ("last_name", "first_name", "patronymic", "gender", "phone", "email")}
        try:
            link = parent_link_add(
                organisation=self.organisation, child=self.get_child(), parent=data["existing"], new_parent=new_parent
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{link.parent.full_name} — законный представитель {self.child.full_name}.")
        return redirect(self.child)


class ParentSearchView(OrganisationMixin, View):
    """htmx: parents of the school whose name has every typed word, at most PARENT_SEARCH_LIMIT of them."""

    required_capability = "participants.edit"

    def get(self, request, *args, **kwargs):
        child = get_object_or_404(self.organisation.people, pk=kwargs["pk"])
        text = request.GET.get("q", "").strip()[:100]
        parents = []
        if len(text) >= 2:
            candidates = parent_candidates(organisation=self.organisation, child=child).search(text)
            parents = list(candidates.order_by("last_name", "first_name", "pk")[: PARENT_SEARCH_LIMIT + 1])
        return render(
            request,
            "participants/_parent_search.html",
            {
                "parents": parents[:PARENT_SEARCH_LIMIT],
                "more": len(parents) > PARENT_SEARCH_LIMIT,
                "text": text,
                "child": child,
            },
        )


class ParentUnlinkView(OrganisationMixin, View):
    required_capability = "participants.edit"

    def post(self, request, *args, **kwargs):
        child = get_object_or_404(self.organisation.people, pk=kwargs["pk"])
        link = get_object_or_404(child.parent_links, parent_id=kwargs["parent_pk"])
        link.delete()
        messages.success(request, "Связь с родителем удалена.")
        return redirect(child)


class AccessLogView(OrganisationMixin, FilterView):
    """The access journal: who viewed, exported or printed whose data."""

    required_capability = "journal.view"
    filterset_class = AccessLogFilter
    template_name = "participants/access_log.html"
    paginate_by = 100

    def get_queryset(self):
        return AccessLogEntry.objects.filter(organisation=self.organisation).select_related("user", "person")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "organisation": self.organisation}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_query"] = self.request.GET.urlencode()
        return context

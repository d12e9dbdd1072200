"""The register of acts of destruction (приказ Роскомнадзора № 179) and the director's decision to
destroy a withdrawn person's data at once."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import ListView

from organisations.tenancy import OrganisationMixin

from .destruction import person_anonymise_now
from .journal import access_record
from .models import AccessLogEntry

CAPABILITY = "journal.view"  # the director: the one who answers for personal data


class DestructionActListView(OrganisationMixin, ListView):
    required_capability = CAPABILITY
    template_name = "participants/destruction_acts.html"
    context_object_name = "acts"
    paginate_by = 50

    def get_queryset(self):
        return self.organisation.destruction_acts.defer("journal", "data_categories", "method")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["acts"]:
            access_record(
                request=self.request,
                organisation=self.organisation,
                action=AccessLogEntry.Action.VIEW,
                what="Акты об уничтожении персональных данных",
                people_count=sum(act.people_count for act in context["acts"]),
            )
        return context


class PersonAnonymiseNowView(OrganisationMixin, View):
    """POST: the director's decision to destroy a withdrawn person's data without waiting 30 days."""

    required_capability = CAPABILITY

    def post(self, request, *args, **kwargs):
        person = get_object_or_404(self.organisation.people, pk=kwargs["pk"])
        try:
            act = person_anonymise_now(person=person, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(person)
        messages.success(request, f"Данные участника обезличены; составлен акт об уничтожении № {act.number}.")
        return redirect("participants:destruction_acts", org=self.organisation.slug)

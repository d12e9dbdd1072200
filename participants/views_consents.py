"""Consents to personal-data processing: recording, withdrawal, the school's list, scans."""

from functools import cached_property

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, View
from django_filters.views import FilterView

from organisations.scans import scan_file_response
from organisations.tenancy import OrganisationMixin

from .filters import ConsentFilter
from .forms import DateInput
from .journal import access_record
from .models import AccessLogEntry, Consent, ConsentPurpose, PartnerOrganisation, Person
from .selectors import consent_coverage, participants_with_consents, people_needing_transfer_consent
from .services import ERROR_REPRESENTATIVE_NOT_PARENT, consent_record, consent_signer_rule, consent_withdraw

DATE_INPUT = DateInput()
# How many of the people needing a separate transfer consent the consents page names.
TRANSFER_NEEDED_SHOWN = 20


# --- Forms --------------------------------------------------------------------------------


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label="Цель согласия", choices=ConsentPurpose.choices)
    partner = forms.ModelChoiceField(
        label="Организация-партнёр",
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        help_text="Только для согласия на передачу организации-партнёру: на каждого партнёра — отдельное согласие.",
    )
    representative = forms.ModelChoiceField(
        label="Законный представитель",
        queryset=Person.objects.none(),
        required=False,
        empty_label="— не указан: подписывает сам участник —",
        error_messages={"invalid_choice": ERROR_REPRESENTATIVE_NOT_PARENT},
    )
    signed_by_subject = forms.BooleanField(label="Подписано самим субъектом", required=False)
    signed_on = forms.DateField(label="Дата подписания", widget=DATE_INPUT)
    scan = forms.FileField(
        label="Скан подписанного согласия",
        required=False,
        help_text="PDF, JPEG или PNG, не больше 10 МБ.",
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = person.organisation
        self.fields["partner"].queryset = organisation.partners.order_by("name")
        self.fields["representative"].queryset = Person.objects.filter(
            organisation=organisation, children_links__child=person, anonymised_at__isnull=True
        ).order_by("last_name", "first_name")
        self.fields["representative"].help_text = (
            f"Только родители этого участника. Законный представитель подписывает согласие за участника "
            f"младше {organisation.consent_adult_age} лет."
        )
        self.fields["signed_by_subject"].help_text = (
            f"Совершеннолетний подписывает согласие сам; с {organisation.consent_cosign_age} лет участник "
            f"подписывает его вместе с законным представителем."
        )
        today = timezone.localdate()
        self.fields["signed_on"].initial = today
        rule = consent_signer_rule(organisation=organisation, person=person, on=today)
        if rule is not None:
            self.fields["signed_by_subject"].initial = rule.subject_signs
            parents = list(self.fields["representative"].queryset[:2])
            if rule.needs_representative and len(parents) == 1:
                self.fields["representative"].initial = parents[0].pk


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label="Дата отзыва",
        widget=DATE_INPUT,
        help_text="День, когда школа получила письменный отзыв согласия.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()


# --- Recording and withdrawal -------------------------------------------------------------


class PersonConsentMixin:
    @cached_property
    def person(self) -> Person:
        people = self.organisation.people.filter(anonymised_at__isnull=True).select_related("organisation")
        return get_object_or_404(people, pk=self.kwargs["pk"])


class ConsentCreateView(OrganisationMixin, PersonConsentMixin, FormView):
    required_capability = "participants.edit"
    form_class = ConsentForm
    template_name = "participants/consent_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_context_data(self, **kwargs):
        kwargs["person"] = self.person
        kwargs["rule"] = consent_signer_rule(
            organisation=self.organisation, person=self.person, on=timezone.localdate()
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            consent = consent_record(
                organisation=self.organisation,
                person=self.person,
                purpose=data["purpose"],
                signed_on=data["signed_on"],
                representative=data["representative"],
                signed_by_subject=data["signed_by_subject"],
                scan=data["scan"],
                user=self.request.user,
                partner=data["partner"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        what = f"Согласие «{consent.purpose_label}» от {consent.signed_on:%d.%m.%Y}"
        access_record(
            request=self.request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.CHANGE,
            what=f"{what}: внесено",
            person=self.person,
        )
        messages.success(self.request, f"{what} внесено.")
        return redirect(self.person.get_absolute_url() + "#consents")


class ConsentWithdrawView(OrganisationMixin, FormView):
    """GET: the confirmation with the date of withdrawal; POST: the withdrawal."""

    required_capability = "participants.edit"
    form_class = WithdrawForm
    template_name = "participants/consent_withdraw.html"

    @cached_property
    def consent(self) -> Consent:
        consents = self.organisation.consents.select_related("person", "representative", "text")
        return get_object_or_404(consents, pk=self.kwargs["pk"], person__anonymised_at__isnull=True)

    def get_context_data(self, **kwargs):
        kwargs["consent"] = self.consent
        kwargs["person"] = self.consent.person
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        consent = self.consent
        try:
            consent_withdraw(consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"], user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        access_record(
            request=self.request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.CHANGE,
            what=f"Согласие «{consent.purpose_label}» от {consent.signed_on:%d.%m.%Y}: отозвано",
            person=consent.person,
        )
        text = f"Согласие «{consent.purpose_label}» отмечено как отозванное."
        if consent.purpose == ConsentPurpose.PARTICIPATION:
            text += " Обработка персональных данных участника приостановлена."
        messages.success(self.request, text)
        return redirect(consent.person.get_absolute_url() + "#consents")


class ConsentScanView(OrganisationMixin, View):
    """The scan of a signed consent, only through this view; each opening goes to the access journal."""

    required_capability = "participants.view"

    def get(self, request, *args, **kwargs):
        consent = get_object_or_404(self.organisation.consents.select_related("person"), pk=kwargs["pk"])
        back = consent.person.get_absolute_url() + "#consents"
        if not consent.scan:
            messages.warning(request, "Скан этого согласия не загружен.")
            return redirect(back)
        try:
            file = consent.scan.open("rb")
        except FileNotFoundError:
            messages.error(request, "Файл скана не найден в хранилище: обратитесь к администратору.")
            return redirect(back)
        access_record(
            request=request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.VIEW,
            what=f"Скан согласия «{consent.purpose_label}» от {consent.signed_on:%d.%m.%Y}",
            person=consent.person,
        )
        return scan_file_response(file, download_name=f"Согласие-{consent.pk}")


# --- The school's list --------------------------------------------------------------------


class ConsentListView(OrganisationMixin, FilterView):
    """The school's participants with their consents: who still has to sign, and what."""

    required_capability = "participants.view"
    filterset_class = ConsentFilter
    template_name = "participants/consent_list.html"
    paginate_by = 50

    def get_queryset(self):
        return participants_with_consents(organisation=self.organisation)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "organisation": self.organisation}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for person in context["object_list"]:
            # The latest consent of each purpose: what the row shows.
            person.latest_consents = {}
            for consent in person.consent_list:
                person.latest_consents.setdefault(consent.purpose, consent)
            person.participation_consent = person.latest_consents.get(ConsentPurpose.PARTICIPATION)
            person.publication_consent = person.latest_consents.get(ConsentPurpose.PUBLICATION)
            person.authority_consent = person.latest_consents.get(ConsentPurpose.AUTHORITY_TRANSFER)
        context["coverage"] = consent_coverage(organisation=self.organisation)
        needing = people_needing_transfer_consent(organisation=self.organisation)
        context["transfer_needed"] = needing.count()
        context["transfer_needed_sample"] = list(needing[:TRANSFER_NEEDED_SHOWN])
        classes = context["filter"].classes
        context["print_grades"] = sorted({grade for grade, _ in classes})
        context["print_letters"] = sorted({letter for _, letter in classes if letter})
        context["purposes"] = ConsentPurpose.choices
        shown = len(context["object_list"])
        if shown:
            access_record(
                request=self.request,
                organisation=self.organisation,
                action=AccessLogEntry.Action.VIEW,
                what="Список согласий на обработку персональных данных",
                people_count=shown,
            )
        return context

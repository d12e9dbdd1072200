"""Sending a personal link for an electronic consent from the person's card (the public page is in
reports.printouts.views_econsent, which also makes the PDF copy)."""

from functools import cached_property

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView

from organisations.tenancy import OrganisationMixin

from .econsent import consent_link_send
from .journal import access_record
from .models import AccessLogEntry, ConsentLink, Person
from .services import consent_signer_rule


class ConsentLinkForm(forms.Form):
    signer = forms.ModelChoiceField(
        label="Кому отправить ссылку",
        queryset=Person.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="Ссылка и код подтверждения приходят на электронную почту, указанную в карточке.",
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Person.objects.filter(
            organisation=person.organisation, children_links__child=person, anonymised_at__isnull=True
        )
        self.fields["signer"].queryset = (Person.objects.filter(pk=person.pk) | parents).order_by(
            "last_name", "first_name"
        )
        self.fields["signer"].label_from_instance = lambda p: (
            f"{p.full_name}{' (сам участник)' if p.pk == person.pk else ' (родитель)'}: {p.email or 'почта не указана'}"
        )
        rule = consent_signer_rule(organisation=person.organisation, person=person, on=timezone.localdate())
        if rule is not None and not rule.needs_representative:
            self.fields["signer"].initial = person.pk


class ConsentLinkSendView(OrganisationMixin, FormView):
    """The card's «Электронное согласие по ссылке»: the link goes to the signer's e-mail on file."""

    required_capability = "participants.edit"
    form_class = ConsentLinkForm
    template_name = "participants/consent_link_send.html"

    @cached_property
    def person(self) -> Person:
        people = self.organisation.people.filter(anonymised_at__isnull=True).select_related("organisation")
        return get_object_or_404(people, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_context_data(self, **kwargs):
        kwargs["person"] = self.person
        kwargs["links"] = ConsentLink.objects.filter(person=self.person).select_related("signer")[:10]
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        signer = form.cleaned_data["signer"]
        try:
            sent = consent_link_send(
                organisation=self.organisation,
                person=self.person,
                signer=signer,
                user=self.request.user,
                url_for=lambda token: self.request.build_absolute_uri(reverse("consent_link", kwargs={"token": token})),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        access_record(
            request=self.request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.CHANGE,
            what="Ссылка на электронное согласие отправлена "
            + ("самому участнику" if signer.pk == self.person.pk else "родителю (законному представителю)"),
            person=self.person,
        )
        messages.success(
            self.request,
            f"Ссылка отправлена на {signer.email}; действует до {sent.link.expires_at:%d.%m.%Y}.",
        )
        return redirect(self.person.get_absolute_url() + "#consents")

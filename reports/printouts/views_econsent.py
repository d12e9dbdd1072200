"""/c/<token>/: the public page of an electronic consent (no session; the token names the link).

Steps: each purpose's full text with its own «Согласен» / «Не согласен» (nothing chosen in advance)
and the signer's full name → the one-time code from the e-mail on file → the consents recorded, the
PDF copy e-mailed and kept in the card. A used link answers only withdrawals, purpose by purpose.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views import View

from participants.econsent import (
    CODE_MINUTES,
    ERROR_INVALID_LINK,
    child_must_cosign,
    consent_link_by_token,
    consent_link_choose,
    consent_link_confirm,
    consent_link_refusal,
    consent_link_withdraw,
    purpose_items,
)
from participants.journal import client_ip
from participants.models import AccessLogEntry

from .econsent import econsent_copy_store_and_send

TEMPLATE = "reports/econsent/link.html"


def _journal(link, what: str, request) -> None:
    AccessLogEntry.objects.create(
        organisation=link.organisation,
        action=AccessLogEntry.Action.CHANGE,
        person=link.person,
        what=what,
        path=request.path[:3] + "…",  # the token is a secret: not in the journal
        ip_address=client_ip(request),
    )


class ConsentLinkView(View):
    def dispatch(self, request, token: str):
        self.link = consent_link_by_token(token)
        if self.link is None:
            return render(request, "reports/econsent/closed.html", {"reason": ERROR_INVALID_LINK}, status=404)
        return super().dispatch(request, token)

    def page(self, *, status: int = 200, **extra):
        items = purpose_items(person=self.link.person)
        refusal = consent_link_refusal(self.link)
        context = {
            "link": self.link,
            "organisation": self.link.organisation,
            "items": items,
            "open_items": [item for item in items if item.valid is None],
            "valid_items": [item for item in items if item.valid is not None],
            "refusal": refusal,
            "child_age": child_must_cosign(self.link),
            "step": "choose",
            "code_minutes": CODE_MINUTES,
        } | extra
        if refusal and context["step"] == "choose":
            context["step"] = "closed"
        if status == 200 and refusal and self.link.used_at is None:
            status = 410
        return render(self.request, TEMPLATE, context, status=status)

    def get(self, request, token):
        return self.page()

    def post(self, request, token):
        action = request.POST.get("action")
        if action == "withdraw":
            return self.withdraw(request)
        if action == "confirm":
            return self.confirm(request)
        return self.choose(request)

    def choose(self, request):
        answers = {}
        for item in purpose_items(person=self.link.person):
            value = request.POST.get(f"choice-{item.key}")
            answers[item.key] = {"yes": True, "no": False}.get(value)
        signer_name = request.POST.get("signer_name", "")
        child_name = request.POST.get("child_name", "")
        try:
            masked = consent_link_choose(
                link=self.link, choices=answers, signer_name=signer_name, child_name=child_name
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"choices": error.messages}
            status = 410 if consent_link_refusal(self.link) else 400
            return self.page(
                status=status,
                errors=errors,
                answered_yes=[key for key, value in answers.items() if value is True],
                answered_no=[key for key, value in answers.items() if value is False],
                signer_name=signer_name,
                child_name=child_name,
            )
        self.link.refresh_from_db()
        return self.page(step="code", masked_email=masked)

    def confirm(self, request):
        try:
            consents = consent_link_confirm(
                link=self.link,
                code=request.POST.get("code", ""),
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except ValidationError as error:
            self.link.refresh_from_db()
            step = "closed" if consent_link_refusal(self.link) else "code"
            return self.page(status=400, step=step, errors=error.message_dict)
        self.link.refresh_from_db()
        econsent_copy_store_and_send(link=self.link, consents=consents)
        _journal(self.link, f"Электронное согласие дано по ссылке: {len(consents)}", request)
        return self.page(step="done", agreed=consents)

    def withdraw(self, request):
        try:
            withdrawn = consent_link_withdraw(link=self.link, keys=request.POST.getlist("withdraw"))
        except ValidationError as error:
            return self.page(
                status=400,
                step="closed" if consent_link_refusal(self.link) else "choose",
                withdraw_errors=error.messages,
            )
        _journal(self.link, f"Согласие отозвано по ссылке: {len(withdrawn)}", request)
        return self.page(withdrawn=withdrawn, step="closed" if consent_link_refusal(self.link) else "choose")

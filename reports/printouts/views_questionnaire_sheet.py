"""A printable sheet of a class's questionnaire links (PDF): each student's link and its QR code.

Only the hash of a token is stored, so printing gives every unanswered invitation of the class a
new token (participants.questionnaires.services.invitations_reissue_for_class): the page says
so before the curator confirms, and links given out before stop working. GET shows the choice
and what printing will do; POST re-issues and returns the PDF. Every print goes to the journal.
"""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views import View

from organisations.russian import plural
from organisations.tenancy import OrganisationMixin
from participants.journal import access_record
from participants.models import AccessLogEntry
from participants.questionnaires.forms import ClassSheetForm
from participants.questionnaires.services import class_sheet_preview, invitations_reissue_for_class
from reports.exports.pdf import render_pdf

TEMPLATE = "reports/pdf/questionnaire_links.html"


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code (sized by the stylesheet); segno's output holds no user text."""
    return mark_safe(segno.make(url, error="m").svg_inline(border=2, omitsize=True))  # noqa: S308


class QuestionnaireSheetView(OrganisationMixin, View):
    """?questionnaire=<pk>&grade=7&class_letter=Б shows what printing will do; POST prints."""

    required_capability = "participants.edit"

    def page(self, form, **extra):
        return render(
            self.request,
            "reports/questionnaire_sheet.html",
            {"organisation": self.organisation, "access": self.access, "form": form} | extra,
        )

    def get(self, request, *args, **kwargs):
        if not {"questionnaire", "grade"} & set(request.GET):
            initial = {"questionnaire": request.GET.get("template")}
            return self.page(ClassSheetForm(organisation=self.organisation, initial=initial))
        form = ClassSheetForm(request.GET, organisation=self.organisation)
        if not form.is_valid():
            return self.page(form)
        data = form.cleaned_data
        preview = class_sheet_preview(
            organisation=self.organisation,
            template=data["questionnaire"],
            grade=data["grade"],
            class_letter=data["class_letter"],
        )
        count = len(preview.issued)
        return self.page(
            form,
            preview=preview,
            class_name=form.class_name,
            issued_label=(
                f"{plural(count, 'будет выдана', 'будут выданы', 'будет выдано')} {count} "
                f"{plural(count, 'новая ссылка', 'новые ссылки', 'новых ссылок')}"
            ),
        )

    def post(self, request, *args, **kwargs):
        form = ClassSheetForm(request.POST, organisation=self.organisation)
        if not form.is_valid():
            return self.page(form)
        data = form.cleaned_data
        template = data["questionnaire"]
        try:
            sheet = invitations_reissue_for_class(
                organisation=self.organisation,
                template=template,
                grade=data["grade"],
                class_letter=data["class_letter"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.page(form)
        class_name = form.class_name
        if sheet.is_empty:
            messages.warning(request, f"В {class_name} классе нет обучающихся.")
            return redirect(reverse("reports:questionnaire_sheet", kwargs={"org": self.organisation.slug}))
        rows = []
        for sent in sheet.issued:
            url = request.build_absolute_uri(reverse("questionnaire_answer", args=[sent.token]))
            rows.append(
                {"person": sent.invitation.person, "url": url, "qr": qr_svg(url), "invitation": sent.invitation}
            )
        context = {
            "organisation": self.organisation,
            "questionnaire": template,
            "class_name": class_name,
            "rows": rows,
            "sheet": sheet,
            "printed_on": timezone.localdate(),
        }
        people_count = len(rows) + len(sheet.without_consent) + len(sheet.answered) + len(sheet.not_invited)
        access_record(
            request=request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.PRINT,
            what=(
                f"Лист ссылок на анкету «{template.title}»: {class_name} класс, "
                f"{len(rows)} {plural(len(rows), 'новая ссылка', 'новые ссылки', 'новых ссылок')}"
            ),
            people_count=people_count,
        )
        response = HttpResponse(render_pdf(template_name=TEMPLATE, context=context), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=False, filename=f"Ссылки на анкету — {class_name} класс.pdf"
        )
        response["Cache-Control"] = "private, no-store"
        return response

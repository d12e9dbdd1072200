"""A printable sheet of a class's questionnaire links (PDF): each student's link and its QR code.

Only the hash of a token is stored, so printing gives every unanswered invitation of the class a
new token (participants.questionnaires.services.invitations_reissue_for_class): the page says
so before the curator confirms, and links given out before stop working. GET shows the choice
and what printing will do; POST re-issues and returns the PDF (``action=pdf``), the same links as
XLSX (``action=xlsx``) or shows them once as one text to copy into a parents' chat
(``action=copy``). Every issue goes to the journal.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from organisations.russian import plural
from organisations.tenancy import OrganisationMixin
from participants.journal import access_record
from participants.models import AccessLogEntry
from participants.questionnaires.forms import ClassSheetForm
from participants.questionnaires.links import links_text
from participants.questionnaires.services import ERROR_FOREIGN_TEMPLATE, class_sheet_preview
from reports.exports.base import REGISTRY, ExportContext
from reports.exports.serving import export_response
from reports.printouts.exporters import class_links_issue, qr_svg

__all__ = ["QuestionnaireSheetView", "qr_svg"]


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
        if template.organisation_id not in (None, self.organisation.pk):
            form.add_error(None, ValidationError(ERROR_FOREIGN_TEMPLATE))
            return self.page(form)
        preview = class_sheet_preview(
            organisation=self.organisation,
            template=template,
            grade=data["grade"],
            class_letter=data["class_letter"],
        )
        if preview.is_empty:
            messages.warning(request, f"В {form.class_name} классе нет обучающихся.")
            return redirect(reverse("reports:questionnaire_sheet", kwargs={"org": self.organisation.slug}))
        params = {"questionnaire": template.pk, "grade": data["grade"], "class_letter": data["class_letter"]}
        action = request.POST.get("action", "pdf")
        if action == "copy":
            return self.copy(form, params)
        # Printing or the XLSX re-issues the links (reports.printouts.exporters: QuestionnaireSheetExporter,
        # QuestionnaireLinksExporter).
        return export_response(
            request=request,
            organisation=self.organisation,
            access=self.access,
            exporter=REGISTRY["questionnaire-links" if action == "xlsx" else "questionnaire-sheet"],
            params=params,
            fmt="xlsx" if action == "xlsx" else "pdf",
        )

    def copy(self, form, params):
        """«Скопировать все ссылки»: new links shown once as one text, a line per student; journalled."""
        links = class_links_issue(
            organisation=self.organisation,
            params=params,
            context=ExportContext(
                user=self.request.user, access=self.access, absolute_url=self.request.build_absolute_uri
            ),
        )
        count = len(links.rows)
        access_record(
            request=self.request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.EXPORT,
            what=(
                f"Ссылки на анкету «{links.questionnaire.title}» для копирования: {links.class_name} класс, "
                f"{count} {plural(count, 'новая ссылка', 'новые ссылки', 'новых ссылок')}"
            ),
            people_count=count,
        )
        pairs = [(person, url) for person, url, _ in links.rows]
        return self.page(
            form,
            class_name=links.class_name,
            questionnaire=links.questionnaire,
            issued=links,
            links=pairs,
            links_text=links_text(pairs),
        )

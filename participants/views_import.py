"""Pages of the list import: upload a file, check what it would do, confirm."""

from django import forms
from django.contrib import messages
from django.db.models import IntegerField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import DetailView, FormView, View

from organisations.http import file_response
from organisations.tenancy import OrganisationMixin

from .importing import FILE_EMPTY, MAX_FILE_SIZE, MAX_ROWS, ImportFileError, format_number, format_size
from .journal import access_record
from .models import ImportBatch
from .services_import import (
    ImportRefused,
    errors_phrase,
    people_import_apply,
    people_import_marked,
    people_import_preview,
    people_phrase,
)

RECENT_IMPORTS = 10
FILE_REQUIRED = "Выберите файл со списком."
FILE_TOO_LARGE_IN_BROWSER = (
    f"Файл слишком большой: можно загрузить файл не больше {format_size(MAX_FILE_SIZE)}. "
    "Разделите список на несколько файлов."
)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл со списком",
        help_text=(
            f"Книга Excel (.xlsx) или CSV, не больше {format_size(MAX_FILE_SIZE)} "
            f"и не больше {format_number(MAX_ROWS)} строк."
        ),
        error_messages={"required": FILE_REQUIRED, "empty": FILE_EMPTY, "invalid": FILE_REQUIRED},
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv",
            }
        ),
    )


def _count(kind: str):
    """A count of the batch's summary, read by the database (the summary itself is not loaded)."""
    return Cast(KT(f"summary__counts__{kind}"), IntegerField())


class ImportUploadView(OrganisationMixin, FormView):
    required_capability = "participants.edit"
    form_class = ImportUploadForm
    template_name = "participants/import_upload.html"

    def get_context_data(self, **kwargs):
        kwargs["recent_batches"] = (
            self.organisation.import_batches.select_related("uploaded_by")
            .defer("summary")
            .annotate(
                kind_label=KT("summary__kind_label"),
                to_create=_count("create"),
                to_update=_count("update"),
                errors_count=_count("errors"),
                created=Cast(KT("summary__result__created"), IntegerField()),
                updated=Cast(KT("summary__result__updated"), IntegerField()),
            )[:RECENT_IMPORTS]
        )
        kwargs["max_file_size"] = MAX_FILE_SIZE
        kwargs["too_large_message"] = FILE_TOO_LARGE_IN_BROWSER
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            batch = people_import_preview(
                organisation=self.organisation, uploaded_file=form.cleaned_data["file"], user=self.request.user
            )
        except (ImportFileError, ImportRefused) as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        url = reverse("participants:import_preview", kwargs={"org": self.organisation.slug, "pk": batch.pk})
        if self.request.headers.get("HX-Request"):
            # htmx sent the form (with the upload progress bar): the browser goes on by itself.
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)


class ImportPreviewView(OrganisationMixin, DetailView):
    required_capability = "participants.edit"
    template_name = "participants/import_preview.html"
    context_object_name = "batch"

    def get_queryset(self):
        return self.organisation.import_batches.select_related("uploaded_by")

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        counts = self.object.summary.get("counts", {})
        shown = sum(counts.get(kind, 0) for kind in ("create", "update", "unchanged", "skipped"))
        if shown:
            access_record(
                request=request,
                organisation=self.organisation,
                action="view",
                what=f"Проверка загружаемого списка «{self.object.original_name}»",
                people_count=shown,
            )
        return response

    def get_context_data(self, **kwargs):
        batch = self.object
        summary = batch.summary or {}
        counts = {"create": 0, "update": 0, "unchanged": 0, "skipped": 0, "errors": 0, **summary.get("counts", {})}
        errors = summary.get("errors", [])
        applied = batch.status == ImportBatch.Status.APPLIED
        warnings = summary.get("warnings", [])
        kwargs.update(
            warnings=warnings,
            unused_columns=summary.get("unused_columns", []),
            parents=summary.get("parents", []),
            can_download_marked=bool(batch.file) and any(item.get("row") for item in [*errors, *warnings]),
            summary=summary,
            counts=counts,
            errors=errors,
            errors_title=errors_phrase(len(errors)) if errors else "",
            applied=applied,
            has_changes=bool(counts["create"] or counts["update"] or summary.get("parents")),
            can_apply=batch.status == ImportBatch.Status.PREVIEW and not errors,
            result=summary.get("result", {}),
            sections=[
                {
                    "key": key,
                    "title": title,
                    "people": people_phrase(counts[key]),
                    "total": counts[key],
                    "rows": summary.get(key, []),
                    "more": counts[key] > len(summary.get(key, [])),
                }
                for key, title in (
                    ("create", "Добавлены" if applied else "Будут добавлены"),
                    ("update", "Изменены" if applied else "Изменятся"),
                    ("skipped", "Пропущены"),
                    ("unchanged", "Уже в базе, без изменений"),
                )
                if counts[key]
            ],
        )
        return super().get_context_data(**kwargs)


class ImportApplyView(OrganisationMixin, View):
    required_capability = "participants.edit"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        batch = get_object_or_404(self.organisation.import_batches, pk=kwargs["pk"])
        try:
            result = people_import_apply(
                batch=batch, user=request.user, organisation=self.organisation, request=request
            )
        except ImportRefused as error:
            messages.error(request, error.message)
            return redirect("participants:import_preview", org=self.organisation.slug, pk=batch.pk)
        messages.success(request, result.message(batch.original_name))
        return redirect("participants:person_list", org=self.organisation.slug)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportMarkedView(OrganisationMixin, View):
    """The uploaded list back, its bad cells red and explained, to fix in Excel and upload again."""

    required_capability = "participants.edit"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        batch = get_object_or_404(self.organisation.import_batches, pk=kwargs["pk"])
        try:
            filename, content = people_import_marked(batch=batch)
        except ImportRefused as error:
            messages.error(request, error.message)
            return redirect("participants:import_preview", org=self.organisation.slug, pk=batch.pk)
        access_record(
            request=request,
            organisation=self.organisation,
            action="export",
            what=f"Список «{batch.original_name}» с отмеченными ошибками",
            people_count=sum(batch.summary.get("counts", {}).get(k, 0) for k in ("create", "update", "unchanged")),
        )
        return file_response(content, content_type=XLSX, filename=filename)

"""Import of a roadmap from a table: upload, check what it would create, confirm."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, FormView, View

from organisations.tenancy import OrganisationMixin
from participants.importing import ImportFileError
from participants.services_import import errors_phrase

from .forms import ImportForm
from .models import RoadmapImport
from .services_import import items_phrase, roadmap_import_apply, roadmap_import_preview, sections_phrase

EDIT = "roadmap.edit"
RECENT_IMPORTS = 10


class ImportUploadView(OrganisationMixin, FormView):
    required_capability = EDIT
    form_class = ImportForm
    template_name = "roadmap/import_upload.html"

    def get_context_data(self, **kwargs):
        kwargs["recent"] = self.organisation.roadmap_imports.select_related("uploaded_by", "roadmap").defer("summary")[
            :RECENT_IMPORTS
        ]
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            batch = roadmap_import_preview(
                organisation=self.organisation,
                uploaded_file=form.cleaned_data["file"],
                title=form.title_or_default(),
                starts_on=form.period.start,
                ends_on=form.period.end,
                user=self.request.user,
            )
        except ImportFileError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
            return self.form_invalid(form)
        return redirect("roadmap:import_preview", org=self.organisation.slug, pk=batch.pk)


class ImportPreviewView(OrganisationMixin, DetailView):
    required_capability = EDIT
    template_name = "roadmap/import_preview.html"
    context_object_name = "batch"

    def get_queryset(self):
        return self.organisation.roadmap_imports.select_related("uploaded_by", "roadmap")

    def get_context_data(self, **kwargs):
        summary = self.object.summary or {}
        counts = {"sections": 0, "items": 0, "errors": 0, "warnings": 0, **summary.get("counts", {})}
        errors = summary.get("errors", [])
        kwargs.update(
            summary=summary,
            counts=counts,
            errors=errors,
            errors_title=errors_phrase(len(errors)) if errors else "",
            sections=summary.get("sections", []),
            items_phrase=items_phrase(counts["items"]),
            sections_phrase=sections_phrase(counts["sections"]),
            applied=self.object.status == RoadmapImport.Status.APPLIED,
            can_apply=self.object.status == RoadmapImport.Status.PREVIEW and not errors and counts["items"] > 0,
        )
        return super().get_context_data(**kwargs)


class ImportApplyView(OrganisationMixin, View):
    required_capability = EDIT
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        batch = get_object_or_404(self.organisation.roadmap_imports, pk=kwargs["pk"])
        try:
            roadmap = roadmap_import_apply(batch=batch, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("roadmap:import_preview", org=self.organisation.slug, pk=batch.pk)
        count = roadmap.items.count()
        messages.success(request, f"Дорожная карта загружена: {items_phrase(count)}. Это черновик — проверьте сроки.")
        return redirect(roadmap.get_absolute_url())

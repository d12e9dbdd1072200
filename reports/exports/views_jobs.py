"""Files built in the background (reports.exports.tasks): the job page with its progress, the download, «Мои выгрузки».

A job is seen only by the user who asked for it, in its own organisation, and only while the
user still has the capability of its exporter; anything else is the same 404 as a missing job.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import ListView, TemplateView

from organisations.tenancy import OrganisationMixin
from participants.journal import access_record
from reports.exports.base import REGISTRY
from reports.exports.models import ReportJob


class ReportJobMixin(OrganisationMixin):
    def get_required_capability(self) -> str:
        self.job = get_object_or_404(
            ReportJob.objects.filter(organisation=self.organisation, user=self.request.user), pk=self.kwargs["pk"]
        )
        exporter = REGISTRY.get(self.job.exporter)
        if exporter is None:
            raise Http404
        return exporter.required_capability(self.access)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("job", self.job)
        return super().get_context_data(**kwargs)


class ReportJobDetailView(ReportJobMixin, TemplateView):
    template_name = "reports/jobs/detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(keep_days=ReportJob.KEEP_DAYS, **kwargs)


class ReportJobProgressView(ReportJobMixin, TemplateView):
    """The progress fragment htmx polls every second until the file is ready or has failed."""

    template_name = "reports/jobs/_progress.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response


class ReportJobDownloadView(ReportJobMixin, View):
    def get(self, request, *args, **kwargs):
        job = self.job
        job_page = redirect("reports:job_detail", org=self.organisation.slug, pk=job.pk)
        if job.status != ReportJob.Status.DONE or not job.file:
            return job_page  # not ready yet (or failed): the job page says which
        try:
            handle = job.file.open("rb")
        except FileNotFoundError:
            messages.error(request, "Файл уже удалён с сервера. Закажите выгрузку снова.")
            return job_page
        if job.people_count or REGISTRY[job.exporter].personal_data:
            access_record(
                request=request,
                organisation=self.organisation,
                action="export",
                what=f"Скачивание файла: {job.title} ({job.fmt.upper()})",
                people_count=job.people_count,
            )
        response = FileResponse(handle, as_attachment=True, filename=job.filename, content_type=job.content_type)
        response["Cache-Control"] = "private, no-store"
        return response


class ReportJobListView(OrganisationMixin, ListView):
    """«Мои выгрузки»: the user's own files of this organisation, newest first."""

    required_capability = "dashboard.view"
    template_name = "reports/jobs/list.html"
    context_object_name = "jobs"
    paginate_by = 25

    def get_queryset(self):
        return ReportJob.objects.filter(organisation=self.organisation, user=self.request.user).defer("params")

    def get_context_data(self, **kwargs):
        return super().get_context_data(keep_days=ReportJob.KEEP_DAYS, **kwargs)

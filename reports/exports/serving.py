"""The one serving path of every exporter: render, journal a personal-data file, answer privately."""

from django.http import HttpResponse
from django.shortcuts import redirect

from organisations.http import file_response, private_file_headers
from participants.journal import access_record
from reports.exports.base import ExportContext, Exporter, ExportResult
from reports.exports.tasks import report_job_request


def request_context(request, access) -> ExportContext:
    return ExportContext(user=request.user, access=access, absolute_url=request.build_absolute_uri)


def export_journal(*, request, organisation, exporter: Exporter, result: ExportResult, fmt: str) -> None:
    journalled = exporter.personal_data if result.journalled is None else result.journalled
    if not journalled:
        return
    access_record(
        request=request,
        organisation=organisation,
        action=result.action,
        what=result.what or f"Выгрузка: {exporter.title} ({fmt.upper()})",
        person=result.person,
        people_count=result.people_count,
    )


def export_response(
    *, request, organisation, access, exporter: Exporter, params, fmt: str, as_attachment: bool | None = None
) -> HttpResponse:
    """The exporter's file for this request; a personal-data file is journalled first."""
    result = exporter.render(
        organisation=organisation, params=params, fmt=fmt, context=request_context(request, access)
    )
    export_journal(request=request, organisation=organisation, exporter=exporter, result=result, fmt=fmt)
    if fmt == "html":
        # A PDF's preview: the page itself, not a file.
        return private_file_headers(HttpResponse(result.content, content_type=result.content_type))
    return file_response(
        result.content, content_type=result.content_type, filename=result.filename, as_attachment=as_attachment
    )


def export_or_job(
    *, request, organisation, access, exporter: Exporter, params, fmt: str, as_attachment: bool | None = None
) -> HttpResponse:
    """The file at once, or, for a long one, a background job whose page shows its progress."""
    if exporter.in_background(organisation=organisation, params=params):
        job = report_job_request(organisation=organisation, request=request, exporter=exporter, params=params, fmt=fmt)
        return redirect("reports:job_detail", org=organisation.slug, pk=job.pk)
    return export_response(
        request=request,
        organisation=organisation,
        access=access,
        exporter=exporter,
        params=params,
        fmt=fmt,
        as_attachment=as_attachment,
    )

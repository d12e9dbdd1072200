"""The one serving path of every exporter: render, journal a personal-data file, answer privately."""

from django.http import HttpResponse

from organisations.http import file_response, private_file_headers
from participants.journal import access_record
from reports.exports.base import ExportContext, Exporter, ExportResult


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

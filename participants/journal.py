"""The access journal: every view, export and print of personal data is recorded."""

from organisations.models import Organisation

from .models import AccessLogEntry, Person


def client_ip(request) -> str | None:
    # REMOTE_ADDR is the proxy's address behind nginx; the proxy is trusted to set X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


def access_record(
    *,
    request,
    organisation: Organisation,
    action: str,
    what: str,
    person: Person | None = None,
    people_count: int = 1,
) -> AccessLogEntry:
    """Records that request.user viewed, exported, printed or changed personal data."""
    return AccessLogEntry.objects.create(
        organisation=organisation,
        user=request.user if request.user.is_authenticated else None,
        action=action,
        what=what[:300],
        person=person,
        people_count=people_count,
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
    )

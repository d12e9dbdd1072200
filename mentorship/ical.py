"""The iCalendar feed of meetings (RFC 5545), written by hand, and its per-user secret token.

The token is signed (SECRET_KEY, a salt of its own) and names the user and the organisation, so a
token never reaches another school. It also carries a digest of the user's password hash: changing
the password revokes every calendar link handed out before. Access is checked again on every
request (the membership and its capabilities), so a removed membership stops the feed at once.
"""

import datetime
import hashlib

from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from organisations.models import Organisation, User

FEED_SIGNING_SALT = "mentorship.ical.feed"
PRODID = "-//Nastavnik//Meetings//RU"
LINE_LIMIT = 75  # octets, without the CRLF


def _password_digest(user) -> str:
    return hashlib.sha256(f"{user.pk}:{user.password}".encode()).hexdigest()[:16]


def feed_token(*, user, organisation: Organisation) -> str:
    return signing.dumps([user.pk, organisation.pk, _password_digest(user)], salt=FEED_SIGNING_SALT, compress=True)


def feed_token_owner(token: str) -> tuple[User, Organisation] | None:
    """The user and organisation of a valid token; None for a forged, broken or revoked one."""
    try:
        user_pk, organisation_pk, digest = signing.loads(token, salt=FEED_SIGNING_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    organisation = Organisation.objects.filter(pk=organisation_pk).first()
    if user is None or organisation is None or not constant_time_compare(digest, _password_digest(user)):
        return None
    return user, organisation


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Folds a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    encoded = line.encode()
    if len(encoded) <= LINE_LIMIT:
        return line
    pieces, current, limit = [], "", LINE_LIMIT
    for char in line:
        if len((current + char).encode()) > limit:
            pieces.append(current)
            current, limit = char, LINE_LIMIT - 1  # continuation lines begin with a space
        else:
            current += char
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def meeting_summary(meeting) -> str:
    mentees = ", ".join(link.mentee.short_name for link in getattr(meeting.pair, "mentee_links", []))
    people = f"{meeting.pair.mentor.short_name} — {mentees}" if mentees else meeting.pair.mentor.short_name
    return f"{meeting.get_kind_display().capitalize()}: {people}"


def calendar_text(*, meetings, organisation: Organisation, name: str, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:" + timezone.get_current_timezone_name(),
    ]
    for meeting in meetings:
        end = meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes)
        description = [f"Формат: {meeting.get_format_display()}"]
        if meeting.topic:
            description.insert(0, f"Тема: {meeting.topic}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{organisation.slug}.nastavnik",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(meeting.starts_at)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{escape_text(meeting_summary(meeting))}",
            f"DESCRIPTION:{escape_text(chr(10).join(description))}",
            f"LAST-MODIFIED:{_utc(meeting.created_at)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

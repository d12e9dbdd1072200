"""Error reporting to Sentry (or a compatible server such as GlitchTip), off unless SENTRY_DSN is set.

What leaves the server is the exception's type, the code path and a scrubbed message: no request
bodies, cookies, headers, query strings, local variables, user names or e-mail addresses, and the
words of a message that could be a person's name (capitalised Cyrillic words), an e-mail, a phone
number or a SNILS are replaced by «[скрыто]».
"""

import re

FILTERED = "[скрыто]"

# Capitalised Cyrillic words (surnames, names, patronymics; also place names, which is acceptable),
# e-mail addresses, phone numbers and SNILS-like digit groups, personal link tokens.
_PERSONAL = re.compile(
    r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\+?\d[\d\s()-]{8,}\d"
)
# Personal links carry a secret token in the path: /q/<token>/, /calendar/<token>/…, /verify/<token>/.
_TOKEN_PATH = re.compile(r"/(q|calendar|verify)/[^/]+")
# Only these request headers are kept; the rest (Cookie, Authorization, X-Real-IP…) are dropped.
_KEPT_HEADERS = {"content-type", "content-length", "accept", "host", "x-forwarded-proto"}


def scrub_text(text):
    if not isinstance(text, str):
        return text
    return _PERSONAL.sub(FILTERED, text)


def _scrub_url(url):
    if not isinstance(url, str):
        return url
    return _TOKEN_PATH.sub(lambda match: f"/{match.group(1)}/{FILTERED}", url.split("?", 1)[0])


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """before_send: strips the event of personal data; also used for transactions."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        if "url" in request:
            request["url"] = _scrub_url(request["url"])
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {name: value for name, value in headers.items() if name.lower() in _KEPT_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = scrub_text(exception.get("value"))
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        logentry["message"] = scrub_text(logentry.get("message"))
        logentry.pop("params", None)
        logentry.pop("formatted", None)
    if "message" in event:
        event["message"] = scrub_text(event["message"])
    if "transaction" in event:
        event["transaction"] = _scrub_url(event["transaction"])
    # Breadcrumbs hold SQL with its parameters and log lines: only their category and type stay.
    breadcrumbs = event.get("breadcrumbs")
    values = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in values or []:
        crumb.pop("data", None)
        crumb["message"] = scrub_text(crumb.get("message")) if crumb.get("category") != "query" else None
    event.pop("extra", None)
    return event


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float = 0.0) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )

"""/verify/<token>/: the public page a document's QR code leads to (ГОСТ Р 7.0.97-2025).

No login and no organisation in the URL: anyone holding the printed document checks that it is
registered, whether it is still in force and that their PDF is the registered one (its SHA-256).
An unknown token is a plain 404; the page names no person (reports.exports.verification).
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.exports.verification import record_by_token


@require_GET
def document_verify(request, token: str):
    found = record_by_token(token)
    if found is None:
        raise Http404
    response = render(request, "reports/gost/verify.html", {"record": found})
    # The page changes when the document is cancelled or ended; and the token must not leak onwards.
    response["Cache-Control"] = "no-cache"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

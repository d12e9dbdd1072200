"""/verify/<token>/: the public page an order's QR code leads to (ГОСТ Р 7.0.97-2025).

No login and no organisation in the URL: anyone holding the printed order checks that it is
registered, whether it is still in force and that their PDF is the approved one (its SHA-256).
An unknown token is a plain 404; the page names no person (reports.orders.verification).
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.orders.verification import order_by_token, verification_record


@require_GET
def order_verify(request, token: str):
    order = order_by_token(token)
    if order is None:
        raise Http404
    response = render(request, "reports/orders/verify.html", {"record": verification_record(order)})
    # The page changes when the order is cancelled or amended; and the token must not leak onwards.
    response["Cache-Control"] = "no-cache"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

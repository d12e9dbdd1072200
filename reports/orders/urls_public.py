"""Pages of orders outside any organisation and without login: the QR code's verification page."""

from django.urls import path

from reports.orders.views_verify import order_verify

urlpatterns = [
    path("<str:token>/", order_verify, name="order_verify"),
]

from django.urls import path

from . import views, views_exports

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export/<slug:identifier>/", views_exports.ExportView.as_view(), name="export"),
]

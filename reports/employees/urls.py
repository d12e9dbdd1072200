from django.urls import path

from reports.employees import views

urlpatterns = [
    path("", views.EmployeeListView.as_view(), name="employee_list"),
    path("my-consents/", views.MyConsentsView.as_view(), name="employee_my_consents"),
    path("pairs/<int:pk>/consent/", views.ConsentView.as_view(), name="employee_consent"),
    path("pairs/<int:pk>/consent/scan/", views.ConsentScanView.as_view(), name="employee_consent_scan"),
    path("pairs/<int:pk>/agreement/", views.AgreementView.as_view(), name="employee_agreement"),
    path("pairs/<int:pk>/end/", views.EarlyEndView.as_view(), name="employee_end"),
    path("people/<int:pk>/", views.EmploymentTermsView.as_view(), name="employee_terms"),
    path("pay-rules/", views.PayRulesView.as_view(), name="employee_pay_rules"),
    path("pay-register/", views.PayRegisterView.as_view(), name="employee_pay_register"),
    path("pay-order/", views.PayOrderView.as_view(), name="employee_pay_order"),
    path("calendar/", views.CalendarView.as_view(), name="employee_calendar"),
    path("templates/", views.TemplatesView.as_view(), name="employee_templates"),
    path("templates/<slug:kind>/", views.TemplateEditView.as_view(), name="employee_template_edit"),
]

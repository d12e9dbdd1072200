from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Приказы и отчёты"

    def ready(self):
        from . import stage_orders

        stage_orders.register()

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Приказы и отчёты"

    def ready(self):
        from reports.analytics import stage as stage_indicators
        from reports.exports.registry import registry_fill
        from reports.orders import stage as stage_orders
        from reports.orders.order_types import load_builtin_types

        load_builtin_types()
        stage_orders.register()
        stage_indicators.register()
        registry_fill(self.name)

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Приказы и отчёты"

    def ready(self):
        from reports.analytics import stage as stage_indicators
        from reports.employees import verification as agreement_verification
        from reports.exports.registry import registry_fill
        from reports.exports.verification import lookup_register
        from reports.monitoring import notifications as monitoring_notifications  # noqa: F401
        from reports.orders import notifications as order_notifications  # noqa: F401  (registers the kinds)
        from reports.orders import stage as stage_orders
        from reports.orders import verification as order_verification
        from reports.orders.order_types import load_builtin_types

        load_builtin_types()
        stage_orders.register()
        stage_indicators.register()
        registry_fill(self.name)
        # The public /verify/<token>/ page asks each kind of registered document in turn.
        lookup_register(order_verification.record_by_token)
        lookup_register(agreement_verification.record_by_token)

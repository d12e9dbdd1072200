from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "roadmap"
    verbose_name = "Дорожные карты"

    def ready(self):
        from . import notifications  # noqa: F401  (registers the roadmap's notification kinds)

from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mentorship"
    verbose_name = "Программы наставничества"

    def ready(self):
        from . import (
            extensions,
            notifications,  # noqa: F401  (registers the notification kinds)
        )

        extensions.register()

from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "participants"
    verbose_name = "Участники"

    def ready(self):
        from auditlog.registry import auditlog

        from . import (
            models,
            notifications,  # noqa: F401  (registers the notification kinds)
        )

        # The person card's history: changes of a person and of what hangs on them.
        timestamps = ["created_at", "updated_at", "search_name"]
        auditlog.register(models.Person, exclude_fields=timestamps)
        auditlog.register(models.ParentLink)
        auditlog.register(models.Consent, exclude_fields=["recorded_at"])
        auditlog.register(models.MentorEntry, exclude_fields=["created_at"])
        auditlog.register(models.MenteeEntry, exclude_fields=["created_at"])
        auditlog.register(models.MentorDocument, exclude_fields=["created_at"])

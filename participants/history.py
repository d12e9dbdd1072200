"""Change-history entries for bulk writes, which skip django-auditlog's signals."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType


def history_record_created(*, objects, actor=None) -> None:
    """One «создание» entry per object, tied to its person's card like the signal-made ones."""
    objects = list(objects)
    if not objects:
        return
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj),
                action=LogEntry.Action.CREATE,
                changes={},
                actor=actor if actor is not None and actor.is_authenticated else None,
                additional_data=obj.get_additional_data(),
            )
            for obj in objects
        ]
    )

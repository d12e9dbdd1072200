from django.db.models import Case, IntegerField, Value, When

from .models import Notification


def user_notifications(*, user, organisation):
    """The user's own notices in this organisation: unread first, newest first."""
    return (
        Notification.objects.filter(recipient=user, organisation=organisation)
        .annotate(unread=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("unread", "-created_at", "-pk")
    )


def unread_count(*, user, organisation) -> int:
    return Notification.objects.filter(recipient=user, organisation=organisation, read_at__isnull=True).count()

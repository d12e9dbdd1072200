from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def notifications(request):
    """The bell's unread count of the current organisation: one query, only when a page shows it."""
    user = getattr(request, "user", None)
    access = getattr(request, "access", None)
    if user is None or not user.is_authenticated or access is None:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user=user, organisation=access.organisation))}

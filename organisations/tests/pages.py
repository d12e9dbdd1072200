"""Tenant pages of this app for the tenancy tests (see organisations/tests/test_tenancy.py)."""

from organisations.tests.tenant_pages import Page


def _own_notification(organisation) -> dict:
    """A notice to every mentor of the organisation (the allowed role's user among them)."""
    from organisations.notifications.models import Notification

    notification = None
    for membership in organisation.memberships.filter(role="mentor"):
        notification = Notification.objects.create(
            recipient=membership.user,
            organisation=organisation,
            kind="orders.approved",
            text="Приказ утверждён.",
            url="/",
            key=f"tenancy-{membership.pk}",
            delivery="off",
        )
    return {"pk": notification.pk if notification else 0}


PAGES = {
    "organisations:settings": Page(allowed="director", denied="curator"),
    "notifications:list": Page(allowed="mentor"),
    "notifications:preferences": Page(allowed="mentor"),
    "notifications:read_all": Page(allowed="mentor", method="post"),
    "notifications:open": Page(allowed="mentor", method="post", kwargs=_own_notification),
}

"""Notifications: one model, one service (``services.notify``) every event goes through.

The lowest layer of the project, so that every app can notify. An app that owns an event
declares its kind (``kinds.NotificationKind``) in a module imported from its AppConfig.ready();
a kind computed from time (a deadline, a pair that has not met) gives the kind a ``collect``
function that ``manage.py send_notifications`` runs. Delivery goes through the channels of
``channels.py``: the row itself is the in-app message; e-mail now, a messenger later.
"""

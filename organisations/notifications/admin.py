from django.contrib import admin

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "organisation",
        "kind",
        "text",
        "read_at",
        "delivery",
        "emailed_at",
        "attempts",
    ]
    list_filter = ["kind", "delivery"]
    search_fields = ["text", "key", "recipient__username"]
    raw_id_fields = ["recipient", "organisation"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    raw_id_fields = ["user"]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Личные данные", {"fields": ("last_name", "first_name", "patronymic", "email")}),
        *DjangoUserAdmin.fieldsets[2:],
    )
    list_display = ["username", "last_name", "first_name", "patronymic", "is_active", "is_staff"]
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "kind", "parent", "town", "slug"]
    list_filter = ["kind", "parent"]
    search_fields = ["short_name", "full_name", "inn", "slug"]
    list_select_related = ["parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__last_name", "organisation__short_name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

from django.contrib import admin

from .models import Item, Roadmap, Section


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "title"]
    extra = 0


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "starts_on", "ends_on", "status"]
    list_filter = ["status", "organisation"]
    search_fields = ["title"]
    list_select_related = ["organisation"]
    readonly_fields = ["district_roadmap", "created_by", "approved_by"]
    inlines = [SectionInline]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["content", "deadline_text", "deadline_kind", "roadmap"]
    list_filter = ["deadline_kind", "organisation"]
    search_fields = ["content", "deadline_text"]
    list_select_related = ["roadmap"]
    readonly_fields = ["organisation", "roadmap", "section", "district_item"]

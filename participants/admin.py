from django.contrib import admin

from .models import ParentLink, PartnerOrganisation, Person


class ChildLinkInline(admin.TabularInline):
    model = ParentLink
    fk_name = "parent"
    extra = 0
    autocomplete_fields = ["child"]
    verbose_name = "ребёнок"
    verbose_name_plural = "дети"
    exclude = ["organisation"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "patronymic", "category", "class_name", "organisation"]
    list_filter = ["organisation", "category", "grade"]
    search_fields = ["last_name", "first_name", "patronymic"]
    autocomplete_fields = ["partner", "user"]
    list_select_related = ["organisation"]
    inlines = [ChildLinkInline]

    def save_formset(self, request, form, formset, change):
        # A link belongs to the parent's school.
        for link in formset.save(commit=False):
            link.organisation_id = form.instance.organisation_id
            link.save()
        for link in formset.deleted_objects:
            link.delete()


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "inn"]
    list_filter = ["organisation"]
    search_fields = ["name", "inn"]

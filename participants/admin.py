from django import forms
from django.contrib import admin

from .models import MentoringForm, ParentLink, PartnerOrganisation, Person, RoleModel, Tag


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


class RoleModelInline(admin.TabularInline):
    model = RoleModel
    extra = 1
    fields = ["name", "position"]


class MentoringFormAdminForm(forms.ModelForm):
    # The sides' categories as checkboxes rather than raw JSON.
    mentor_categories = forms.TypedMultipleChoiceField(
        label="Категории наставников",
        choices=Person.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ничего не отмечено — любая категория.",
    )
    mentee_categories = forms.TypedMultipleChoiceField(
        label="Категории наставляемых",
        choices=Person.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ничего не отмечено — любая категория.",
    )

    class Meta:
        model = MentoringForm
        fields = [
            "name",
            "audience",
            "description",
            "position",
            "is_active",
            "mentor_categories",
            "mentor_grade_min",
            "mentor_grade_max",
            "mentor_positions",
            "mentee_categories",
            "mentee_grade_min",
            "mentee_grade_max",
        ]


@admin.register(MentoringForm)
class MentoringFormAdmin(admin.ModelAdmin):
    form = MentoringFormAdminForm
    list_display = ["name", "audience", "position", "is_active"]
    list_filter = ["audience", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name"]
    inlines = [RoleModelInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    list_select_related = ["organisation"]

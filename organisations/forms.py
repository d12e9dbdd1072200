from django import forms

from .models import Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "full_name",
            "short_name",
            "address",
            "town",
            "inn",
            "order_number_suffix",
            "director_name",
            "director_position",
            "consent_adult_age",
            "consent_cosign_age",
        ]

    def clean(self):
        cleaned = super().clean()
        adult, cosign = cleaned.get("consent_adult_age"), cleaned.get("consent_cosign_age")
        if adult and cosign and cosign > adult:
            self.add_error("consent_cosign_age", "Возраст подписи ребёнка не может быть больше возраста согласия.")
        return cleaned

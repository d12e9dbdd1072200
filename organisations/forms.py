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
        ]

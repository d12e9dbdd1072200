from django import forms

from .kinds import Delivery, all_kinds


class PreferencesForm(forms.Form):
    """One choice per kind: how its notices come by e-mail."""

    def __init__(self, *args, chosen: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in all_kinds():
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.title,
                choices=Delivery.choices,
                initial=chosen.get(kind.code, kind.default_delivery),
                help_text=f"По умолчанию: {Delivery(kind.default_delivery).label}.",
            )

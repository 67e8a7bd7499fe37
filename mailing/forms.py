from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Subscription


class PreferencesForm(forms.Form):
    """One radio group per subscription: how the member receives that community's news."""

    def __init__(self, subscriptions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.subscriptions = list(subscriptions)
        for subscription in self.subscriptions:
            self.fields[self.field_name(subscription)] = forms.ChoiceField(
                label=subscription.community.title,
                choices=Subscription.Frequency.choices,
                initial=subscription.frequency,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose how to receive this community's news.")},
            )

    @staticmethod
    def field_name(subscription) -> str:
        return f"community_{subscription.pk}"

    def rows(self):
        return [
            (subscription, self[self.field_name(subscription)])
            for subscription in self.subscriptions
        ]

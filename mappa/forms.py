"""The Mappa's forms on the site: asking to compile for one's Ente (the declaration, as for a
designation) and a referent's decision on a colleague's request. They check the shape of what was
typed; ``mappa.services`` checks the rest (its field errors are added back to the form)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership.forms import PortalFormMixin

from .models import Accreditation


class DateInput(forms.DateInput):
    """A native date picker; the value is kept in ISO format so the browser shows it again."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AccreditationForm(PortalFormMixin, forms.Form):
    authorised_by = forms.ChoiceField(
        label=_("Who authorised you to compile for your authority"),
        choices=Accreditation.SignedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say who authorised you.")},
    )
    authorisation_date = forms.DateField(
        label=_("Date of the authorisation"),
        widget=DateInput(),
        help_text=_("It cannot be in the future."),
        error_messages={
            "required": _("Give the date of the authorisation."),
            "invalid": _("Write the date as day, month and year."),
        },
    )
    declaration = forms.BooleanField(
        label=_(
            "I declare that my authority authorised me to answer this questionnaire on its "
            "behalf, and that the information I give is true to the best of my knowledge."
        ),
        error_messages={"required": _("Accept the declaration to go on.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean_authorisation_date(self):
        value = self.cleaned_data["authorisation_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class DecisionForm(PortalFormMixin, forms.Form):
    APPROVE, REFUSE = "approve", "refuse"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve or refuse.")},
    )
    reason = forms.CharField(
        label=_("Reason (required to refuse; the colleague will read it)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REFUSE and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the request is refused."))
        return cleaned

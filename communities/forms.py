"""Forms of the member-facing community pages: join, switch role, upload the appointment act.

The forms only check what was typed; who may do what is asked of the access policy by the views
and enforced again by ``communities.services``.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Designation, Membership
from .validators import act_max_size, validate_act_file


class ActDateInput(forms.DateInput):
    """A native date picker; the value is kept in ISO format so the browser shows it again."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format="%Y-%m-%d")


def act_file_help_text():
    from django.template.defaultfilters import filesizeformat

    return _("Optional. PDF only, at most %(limit)s. Only the community managers can see it.") % {
        "limit": filesizeformat(act_max_size())
    }


class DesignationForm(forms.Form):
    """The declaration of an appointment (nomina/incarico) by the member's Ente."""

    #: Whether the declaration fields are required (``JoinForm`` requires them only for the
    #: designated role).
    declaration_required = True

    signed_by = forms.ChoiceField(
        label=_("Who signed your appointment"),
        choices=Designation.SignedBy.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    act_date = forms.DateField(
        label=_("Date of the act"),
        widget=ActDateInput(),
        required=False,
        help_text=_("The date of the act of appointment; it cannot be in the future."),
    )
    act_file = forms.FileField(
        label=_("Appointment act (PDF)"),
        required=False,
        validators=[validate_act_file],
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["act_file"].help_text = act_file_help_text()

    def needs_declaration(self, cleaned_data) -> bool:
        return self.declaration_required

    def clean(self):
        cleaned_data = super().clean()
        if not self.needs_declaration(cleaned_data):
            return cleaned_data
        if not cleaned_data.get("signed_by") and "signed_by" not in self.errors:
            self.add_error(
                "signed_by",
                forms.ValidationError(
                    _("Say who signed your appointment: the Mayor or the RTD."),
                    code="required",
                ),
            )
        act_date = cleaned_data.get("act_date")
        if act_date is None and "act_date" not in self.errors:
            self.add_error(
                "act_date",
                forms.ValidationError(_("Enter the date of the act."), code="required"),
            )
        elif act_date is not None and act_date > timezone.localdate():
            self.add_error(
                "act_date",
                forms.ValidationError(
                    _("The date of the act cannot be in the future."), code="future"
                ),
            )
        return cleaned_data

    def declaration(self) -> dict:
        data = self.cleaned_data
        return {
            "signed_by": data.get("signed_by") or "",
            "act_date": data.get("act_date"),
            "act_file": data.get("act_file") or None,
        }


class JoinForm(DesignationForm):
    """*Aderisci*: join as a simple or a designated participant."""

    ROLE_CHOICES = [
        (Membership.Role.PARTICIPANT, _("Participant (partecipante semplice)")),
        (Membership.Role.DESIGNATED, _("Designated participant (partecipante designato)")),
    ]

    role = forms.ChoiceField(
        label=_("How do you join"),
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_(
            "Designated participants have been appointed by their authority: they can also "
            "open topics and join working groups."
        ),
        error_messages={"required": _("Choose how you join the community.")},
    )

    field_order = ["role", "signed_by", "act_date", "act_file"]

    def needs_declaration(self, cleaned_data) -> bool:
        return cleaned_data.get("role") == Membership.Role.DESIGNATED


class ActUploadForm(forms.Form):
    """The copy of the appointment act that the community managers asked for."""

    act_file = forms.FileField(
        label=_("Appointment act (PDF)"),
        validators=[validate_act_file],
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ".pdf,application/pdf"}),
        error_messages={"required": _("Choose the PDF file of your appointment act.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.template.defaultfilters import filesizeformat

        self.fields["act_file"].help_text = _(
            "PDF only, at most %(limit)s. Only the community managers can see it."
        ) % {"limit": filesizeformat(act_max_size())}


class AskManagersForm(forms.Form):
    """A member under a measure asks the managers to reconsider it."""

    message = forms.CharField(
        label=_("Your message to the managers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text=_("Optional. At most 2000 characters: explain why they should reconsider."),
    )

"""Forms of the communities' pages on the site.

- The member-facing pages (``communities.views.participation``): join, switch role, upload the
  appointment act, ask the managers.
- The management pages that coordinators and the support team use
  (``communities.views.manage_members``, ``communities.views.manage_groups``): the members
  filter, working groups, invitations, the managers' measures and decisions.

The forms only check the shape of what was typed; who may do what is asked of the access policy
by the views and enforced again by ``communities.services``.
"""

from __future__ import annotations

import html
import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext_lazy as _

from .models import Designation, Membership, WorkingGroupPage
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


# --- The management pages -------------------------------------------------------------------

NO_DESIGNATION = "none"


class MemberFilterForm(forms.Form):
    """Filters of the members list (GET); an unknown value is simply ignored."""

    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), *Membership.Role.choices],
    )
    status = forms.ChoiceField(
        label=_("Designation"),
        required=False,
        choices=[
            ("", _("All")),
            *Designation.Status.choices,
            (NO_DESIGNATION, _("No designation")),
        ],
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        role = self.cleaned_data.get("role")
        status = self.cleaned_data.get("status")
        if role:
            queryset = queryset.filter(role=role)
        if status == NO_DESIGNATION:
            queryset = queryset.filter(designation__isnull=True)
        elif status:
            queryset = queryset.filter(designation__status=status)
        return queryset


def text_to_richtext(text: str) -> str:
    """Plain text (paragraphs separated by an empty line) as Wagtail rich text."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return "".join(
        "<p>" + "<br/>".join(escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )


def richtext_to_text(value: str) -> str:
    """Wagtail rich text as plain text for the textarea (the inverse of ``text_to_richtext``)."""
    value = str(value or "")
    value = re.sub(r"<br\s*/?>", "\n", value)
    value = re.sub(r"</p>\s*", "\n\n", value)
    return html.unescape(strip_tags(value)).strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class WorkingGroupForm(forms.Form):
    """Create or edit a working group: what the coordinator decides about it."""

    title = forms.CharField(label=_("Title"), max_length=255)
    goal = forms.CharField(
        label=_("Goal"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Plain text; separate paragraphs with an empty line."),
    )
    deliverable = forms.CharField(
        label=_("Expected deliverable"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=DateInput(), help_text=_("Format: dd/mm/yyyy.")
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput(),
        help_text=_("Optional. Format: dd/mm/yyyy."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=WorkingGroupPage.Status.choices,
        initial=WorkingGroupPage.Status.PLANNED,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        self.fields["start_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["end_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    @classmethod
    def initial_for(cls, group: WorkingGroupPage) -> dict:
        return {
            "title": group.title,
            "goal": richtext_to_text(group.goal),
            "deliverable": group.deliverable,
            "start_date": group.start_date,
            "end_date": group.end_date,
            "status": group.status,
        }

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Enter a title."), code="required")
        return title

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot precede the start date."))
        return cleaned

    def apply_to(self, group: WorkingGroupPage) -> WorkingGroupPage:
        data = self.cleaned_data
        group.title = data["title"]
        group.goal = text_to_richtext(data["goal"])
        group.deliverable = data["deliverable"].strip()
        group.start_date = data["start_date"]
        group.end_date = data["end_date"]
        group.status = data["status"]
        return group


def _member_label(user) -> str:
    name = user.get_full_name() or user.username
    ente = getattr(user, "ente", None)
    return f"{name} · {ente}" if ente else name


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _member_label(obj)


class InviteForm(forms.Form):
    """Invite a member of the community to a working group.

    The list offers the designated participants who can be invited; any member of the community
    is accepted by the form, and the service refuses the ones who are not designated, with its
    own message (so a tampered request gets the same clear answer).
    """

    user = UserChoiceField(
        label=_("Designated participant"),
        queryset=get_user_model().objects.none(),
        empty_label=_("Choose a participant"),
    )

    def __init__(self, *args, members=None, eligible=(), **kwargs):
        super().__init__(*args, prefix="invite", **kwargs)
        field = self.fields["user"]
        if members is not None:
            field.queryset = members
        field.widget.choices = [("", field.empty_label)] + [
            (user.pk, _member_label(user)) for user in eligible
        ]
        field.widget.attrs["class"] = "form-select"


class GroupCoordinatorForm(forms.Form):
    """Name the group's coordinator among its active members."""

    user = UserChoiceField(
        label=_("Group coordinator"),
        queryset=get_user_model().objects.none(),
        empty_label=_("Choose a member"),
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, prefix="coordinator", **kwargs)
        if members is not None:
            self.fields["user"].queryset = members
        self.fields["user"].widget.attrs["class"] = "form-select"


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Reason"))
        kwargs.setdefault("help_text", _("The member will read it. At most 1000 characters."))
        super().__init__(
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            **kwargs,
        )


class RemoveMemberForm(forms.Form):
    """Remove a member from the community: the reason is required."""

    reason = ReasonField()


class SuspendMemberForm(forms.Form):
    """Suspend a member until a day (included), with the reason."""

    until = forms.DateField(
        label=_("Suspended until (included)"),
        widget=DateInput(attrs={"class": "form-control"}),
        help_text=_("The suspension ends by itself at the end of this day. Format: dd/mm/yyyy."),
    )
    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def clean_until(self):
        from django.utils import timezone

        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(_("The suspension must end in the future."), code="past")
        return until

    def until_datetime(self):
        """The end of the chosen day, in the portal's time zone."""
        import datetime

        from django.utils import timezone

        end = datetime.datetime.combine(self.cleaned_data["until"], datetime.time.max)
        return timezone.make_aware(end)


class DecisionForm(forms.Form):
    """The managers' answer to a member's request."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("refuse", _("Refuse"))]
    )
    note = forms.CharField(
        label=_("Answer to the member"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("Optional. The member will read it."),
    )

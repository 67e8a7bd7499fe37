"""Forms of the materials' pages. The rules are the services' (``materials.services``): these
only shape the input, carry the services' messages next to their field (``add_service_errors``)
and never lose what was typed (a file cannot be kept by the browser: the member chooses it
again, and the page says so)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from discussions.forms import MARKDOWN_HELP, PortalForm

from . import services, validators
from .models import ValidationRound, WorkingDocument

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def file_help() -> str:
    return _("PDF, ODT, DOCX, ODS or XLSX, at most %(size)s.") % {
        "size": filesizeformat(validators.max_size())
    }


def add_service_errors(form, error) -> None:
    """The messages of a service's ``Invalid``/``Conflict`` on the form: by field when they
    name one of its fields, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def _file_field():
    return forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.FileInput(attrs={"accept": validators.ACCEPT}),
        help_text=_("PDF, ODT, DOCX, ODS or XLSX."),
    )


def _body_field(label):
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=MARKDOWN_HELP,
    )


def _note_field(label):
    return forms.CharField(label=label, required=False, max_length=500)


class DocumentForm(PortalForm):
    """A new document with its first version: a file, or a draft written in the portal."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the document a title.")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what the document is about, in a few lines."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=WorkingDocument.Kind.choices,
        initial=WorkingDocument.Kind.FILE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a file or a draft written in the portal.")},
    )
    file = _file_field()
    body = _body_field(_("Text of the draft"))
    note = _note_field(_("Note on this version"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("For a file: %(help)s") % {"help": file_help()}
        self.fields["body"].help_text = _("For a draft written in the portal. %(help)s") % {
            "help": MARKDOWN_HELP
        }
        self.fields["note"].help_text = _("Optional: “First version” if left empty.")


class VersionForm(PortalForm):
    """A new version of ``document``: a file for a file document, the text for a draft."""

    file = _file_field()
    body = _body_field(_("Text of the new version"))
    note = _note_field(_("What changed"))

    def __init__(self, *args, document: WorkingDocument, **kwargs):
        super().__init__(*args, **kwargs)
        if document.kind == WorkingDocument.Kind.FILE:
            del self.fields["body"]
            self.fields["file"].help_text = file_help()
        else:
            del self.fields["file"]
        self.fields["note"].help_text = _("Optional: a line for the others, shown in the list.")


class CommentForm(PortalForm):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the comment.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, reply_to=None, **kwargs):
        prefix = kwargs.pop("prefix", None)
        if reply_to is not None and prefix is None:
            # Each thread's reply form has its own ids (the field names stay ``body``/``parent``).
            kwargs["auto_id"] = f"id_reply{reply_to}_%s"
        super().__init__(*args, **kwargs)
        if reply_to is not None:
            self.fields["body"].label = _("Your reply")
            self.fields["parent"].initial = reply_to


def default_deadline():
    """Two weeks from now, on the hour (Italian time)."""
    value = timezone.localtime() + timedelta(days=14)
    return value.replace(minute=0, second=0, microsecond=0)


class RoundOpenForm(PortalForm):
    """Opening a validation round on a version (``services.open_round`` checks the values)."""

    deadline = forms.DateTimeField(
        label=_("Deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=DATETIME_INPUT_FORMATS,
        help_text=_(
            "Date and time (Italian time): at least 24 hours from now, within %(days)s days."
        )
        % {"days": services.MAX_ROUND_DAYS},
        error_messages={
            "required": _("Give the deadline."),
            "invalid": _("Give the date and time of the deadline."),
        },
    )
    quorum_percent = forms.IntegerField(
        label=_("Quorum (%)"),
        min_value=0,
        max_value=100,
        initial=20,
        help_text=_(
            "The share of the community's participants who must answer for the outcome to count."
        ),
        error_messages={
            "required": _("The quorum is a percentage from 0 to 100."),
            "invalid": _("The quorum is a percentage from 0 to 100."),
            "min_value": _("The quorum is a percentage from 0 to 100."),
            "max_value": _("The quorum is a percentage from 0 to 100."),
        },
    )
    majority = forms.ChoiceField(
        label=_("Majority that decides"),
        choices=ValidationRound.Majority.choices,
        initial=ValidationRound.Majority.SIMPLE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the majority that decides.")},
    )
    instructions = forms.CharField(
        label=_("What to check"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: what the participants should look at, sent with the invitation."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["deadline"].initial = default_deadline()

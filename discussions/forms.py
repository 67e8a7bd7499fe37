"""Forms of the discussions' pages. The rules are the access policy's (``services`` applies
them); these only shape and validate the input, and never lose what was typed."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from membership.forms import PortalFormMixin

from . import services
from .models import Reaction
from .services import attachments, polls

MARKDOWN_HELP = _(
    "You can use Markdown: **bold**, _italic_, [link](https://…), lists with *, quotes with >. "
    "HTML is shown as text."
)


class PortalForm(PortalFormMixin, forms.Form):
    """Bootstrap Italia classes on the widgets, as ``templates/includes/field.html`` expects."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


#: The attachments' help text, from the settings when shown (their limits).
attachments_help_text = lazy(lambda: attachments.help_text(), str)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to ``DISCUSSIONS_ATTACHMENTS_MAX`` files in one ``<input type="file" multiple>``,
    checked by their content (``services.attachments.clean_files``): the cleaned value is the
    list of uploaded files (empty: none). A refused file's message names it; the browser does
    not keep chosen files, so the message asks to choose them again."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"multiple": True, "accept": attachments.ACCEPT})
        )
        super().__init__(**kwargs)
        self.help_text = attachments_help_text()

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data]
        uploads = [upload for upload in uploads if upload]
        if not uploads:
            return []
        # Not ``FileField.clean``: ``clean_files`` checks each file, its message naming it.
        try:
            attachments.clean_files(uploads)
        except services.InvalidInput as error:
            messages = error.message_dict.get(attachments.FIELD, error.messages)
            raise forms.ValidationError(
                [*messages, _("Choose the files to attach again: your text has been kept.")]
            ) from error
        return uploads


def poll_fields(*, required):
    """The fields of a quick poll: question, options (one per line), multiple choice, close."""
    return (
        forms.CharField(
            label=_("Poll question"),
            required=required,
            max_length=polls.QUESTION_MAX_LENGTH,
            help_text=None
            if required
            else _("Optional: add a quick poll to the topic by writing its question."),
        ),
        forms.CharField(
            label=_("Poll options"),
            required=required,
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=(polls.OPTION_MAX_LENGTH + 1) * polls.MAX_OPTIONS,
            help_text=_("One option per line: from %(min)d to %(max)d, all different.")
            % {"min": polls.MIN_OPTIONS, "max": polls.MAX_OPTIONS},
        ),
        forms.BooleanField(label=_("Members may choose more than one option"), required=False),
        forms.DateTimeField(
            label=_("Poll closes at"),
            required=False,
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
            help_text=_("Optional: date and time (Italian time). Empty: open until removed."),
        ),
    )


class PollFieldsMixin:
    """Validates the poll fields (``poll_fields``) with ``services.polls.clean_poll``, whose
    messages land on the field they are about; ``cleaned_data["poll"]`` is the poll, or
    ``None`` when the fields are empty and ``poll_required`` is false (the new-topic form)."""

    poll_required = False

    def clean(self):
        cleaned_data = super().clean()
        question = cleaned_data.get("poll_question") or ""
        options = cleaned_data.get("poll_options") or ""
        cleaned_data["poll"] = None
        if not self.poll_required and not question.strip() and not options.strip():
            return cleaned_data
        if any(name in self.errors for name in ("poll_question", "poll_options", "poll_closes_at")):
            return cleaned_data
        try:
            cleaned_data["poll"] = polls.clean_poll(
                question,
                options,
                multiple=cleaned_data.get("poll_multiple", False),
                closes_at=cleaned_data.get("poll_closes_at"),
            )
        except services.InvalidInput as error:
            for name, messages in error.message_dict.items():
                self.add_error(f"poll_{name}", messages)
        return cleaned_data


class TopicForm(PollFieldsMixin, PortalForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=services.TITLE_MAX_LENGTH,
        error_messages={"required": _("Please give the topic a title.")},
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=services.BODY_MAX_LENGTH,
        help_text=MARKDOWN_HELP,
        error_messages={"required": _("Please write the topic's text.")},
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Optional, separated by commas (for example: backup, continuità operativa)."),
    )

    attachments = AttachmentsField()

    poll_question, poll_options, poll_multiple, poll_closes_at = poll_fields(required=False)

    def clean_tags(self):
        value = self.cleaned_data.get("tags") or ""
        tags = [tag.strip() for tag in value.split(",") if tag.strip()]
        if len(tags) > 8:
            raise forms.ValidationError(_("At most 8 tags."))
        return tags


class ReplyForm(PortalForm):
    text = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.REPLY_MAX_LENGTH,
        help_text=MARKDOWN_HELP,
        error_messages={"required": _("Please write your reply.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    attachments = AttachmentsField()


class EditReplyForm(PortalForm):
    text = forms.CharField(
        label=_("Text of the reply"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.REPLY_MAX_LENGTH,
        help_text=MARKDOWN_HELP,
        error_messages={"required": _("Please write your reply.")},
    )


class EditTopicForm(PortalForm):
    """The title and text of a topic, as its author or a moderator edits them; ``reason`` is
    asked of a moderator changing someone else's topic (recorded in the moderation log)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=services.TITLE_MAX_LENGTH,
        error_messages={"required": _("Please give the topic a title.")},
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=services.BODY_MAX_LENGTH,
        help_text=MARKDOWN_HELP,
        error_messages={"required": _("Please write the topic's text.")},
    )
    reason = forms.CharField(
        label=_("Reason for the change (for the moderation log)"),
        required=False,
        max_length=300,
    )

    def __init__(self, *args, moderation=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not moderation:
            del self.fields["reason"]


class DeleteTopicForm(PortalForm):
    """A moderator deleting someone else's topic gives the reason (the moderation log)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the moderation log; at most 300 characters."),
        error_messages={
            "required": _(
                "Give the reason for deleting the topic: it is kept in the moderation log."
            )
        },
    )


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices)


class PollForm(PollFieldsMixin, PortalForm):
    """A topic's quick poll, added or changed on its own page (while nobody voted)."""

    poll_required = True
    poll_question, poll_options, poll_multiple, poll_closes_at = poll_fields(required=True)

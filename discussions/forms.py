"""Forms of the discussions' pages. The rules are the access policy's (``services`` applies
them); these only shape and validate the input, and never lose what was typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Reaction

MARKDOWN_HELP = _(
    "You can use Markdown: **bold**, _italic_, [link](https://…), lists with *, quotes with >. "
    "HTML is shown as text."
)


class TopicForm(forms.Form):
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

    def clean_tags(self):
        value = self.cleaned_data.get("tags") or ""
        tags = [tag.strip() for tag in value.split(",") if tag.strip()]
        if len(tags) > 8:
            raise forms.ValidationError(_("At most 8 tags."))
        return tags


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.REPLY_MAX_LENGTH,
        help_text=MARKDOWN_HELP,
        error_messages={"required": _("Please write your reply.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class EditReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the reply"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.REPLY_MAX_LENGTH,
        help_text=MARKDOWN_HELP,
        error_messages={"required": _("Please write your reply.")},
    )


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices)

"""The Accademia's forms on the site: the member's choice of showing their name on a badge's
public page, and the verifier (a credential pasted or uploaded)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from membership.forms import PortalFormMixin

from . import credentials

#: The largest credential the verifier reads (a signed badge is a few KB).
MAX_CREDENTIAL_BYTES = 256 * 1024


class _Form(PortalFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class BadgeSharingForm(_Form):
    show_name = forms.BooleanField(
        label=_("Show my name on the badge's public page"),
        required=False,
        help_text=_(
            "Whoever opens the public link sees your name next to the badge. Otherwise the page "
            "only says that the badge was issued and whether it is valid."
        ),
    )


class VerifyForm(_Form):
    """A credential as text or as a file (the file wins when both are given). ``cleaned_data``
    gets ``document``: the parsed credential."""

    credential = forms.CharField(
        label=_("Credential (JSON text)"),
        required=False,
        max_length=MAX_CREDENTIAL_BYTES,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text=_("Paste the content of the credential file (.json) downloaded by its holder."),
        error_messages={"max_length": _("The text is larger than 256 KB: it is not a badge.")},
    )
    file = forms.FileField(
        label=_("Or upload the credential file"),
        required=False,
        help_text=_("A .json file of at most 256 KB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_CREDENTIAL_BYTES:
            raise forms.ValidationError(_("The file is larger than 256 KB: it is not a badge."))
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        upload = cleaned.get("file")
        text = (cleaned.get("credential") or "").strip()
        if upload:
            data = upload.read(MAX_CREDENTIAL_BYTES + 1)
            field = "file"
        elif text:
            data = text
            field = "credential"
        else:
            raise forms.ValidationError(_("Paste a credential or choose its file."))
        try:
            cleaned["document"] = credentials.parse(data)
        except ValueError as error:
            self.add_error(field, str(error))
        return cleaned

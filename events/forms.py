"""The events' forms: they shape input; the rules are in the permissions and services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from membership.forms import PortalFormMixin


class AttendanceImportForm(PortalFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file of the members present"),
        help_text=_(
            "One line per member: their fiscal code or email address in the first column. "
            "A header line is reported as not matched and does no harm."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

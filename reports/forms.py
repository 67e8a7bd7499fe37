"""The period of the figures: from one month to another (``?dal=2026-01&al=2026-12``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership.forms import PortalFormMixin

from .figures import DEFAULT_MONTHS, MAX_MONTHS, Period, add_months

MONTH_FORMAT = "%Y-%m"


class MonthField(forms.DateField):
    """A month as ``YYYY-MM`` (the value of ``<input type="month">``), the 1st of it."""

    widget = forms.DateInput(attrs={"type": "month"}, format=MONTH_FORMAT)
    input_formats = [MONTH_FORMAT]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2026-03.")}


class PeriodForm(PortalFormMixin, forms.Form):
    """Both months optional: by default the last ``DEFAULT_MONTHS`` months up to this one."""

    dal = MonthField(label=_("From (month)"), required=False)
    al = MonthField(label=_("To (month)"), required=False)

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.style_widgets()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        this_month = timezone.localdate(self.now).replace(day=1)
        last = cleaned.get("al") or this_month
        first = cleaned.get("dal") or add_months(last, -(DEFAULT_MONTHS - 1))
        if last > this_month:
            self.add_error("al", _("The period cannot end after the current month."))
        elif first > last:
            self.add_error("dal", _("The first month must not come after the last one."))
        elif add_months(first, MAX_MONTHS) <= last:
            self.add_error(
                "dal",
                _("Choose a period of at most %(count)d months.") % {"count": MAX_MONTHS},
            )
        else:
            cleaned["period"] = Period(first, last)
        return cleaned

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]


def initial_period(now=None) -> Period:
    return Period.last_months(DEFAULT_MONTHS, now)

"""Forms of the registration (onboarding) and of the profile."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .enti import resolve_ente, selectable_enti
from .models import Consent, Ente, User

REGIONS = [
    "Abruzzo",
    "Basilicata",
    "Calabria",
    "Campania",
    "Emilia-Romagna",
    "Friuli-Venezia Giulia",
    "Lazio",
    "Liguria",
    "Lombardia",
    "Marche",
    "Molise",
    "Piemonte",
    "Puglia",
    "Sardegna",
    "Sicilia",
    "Toscana",
    "Trentino-Alto Adige/Südtirol",
    "Umbria",
    "Valle d'Aosta/Vallée d'Aoste",
    "Veneto",
]

PHONE_RE = re.compile(r"^\+?[0-9 ./()-]{6,20}$")

CONSENT_LABELS = {
    Consent.Kind.RULES: _("I have read and accept the Community rules (version %(version)s)."),
    Consent.Kind.PRIVACY: _(
        "I have read the privacy notice (version %(version)s) and consent to the processing of "
        "my personal data for the Community's activities."
    ),
}


class TelInput(forms.TextInput):
    input_type = "tel"


class PortalFormMixin:
    """Bootstrap Italia classes on widgets, and ``is-invalid`` on fields with errors (Django
    adds ``aria-invalid`` and ``aria-describedby`` pointing at ``<id>_error`` itself)."""

    def style_widgets(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


def add_consent_fields(form, kinds, versions):
    for kind in kinds:
        form.fields[f"accept_{kind}"] = forms.BooleanField(
            label=CONSENT_LABELS[kind] % {"version": versions.for_kind(kind)},
            required=True,
            error_messages={
                "required": _("You must accept the Community rules to take part.")
                if kind == Consent.Kind.RULES
                else _("Your consent is needed to register: the Community cannot work without it.")
            },
        )


class ConsentForm(PortalFormMixin, forms.Form):
    """Only the acceptances: shown when staff publish a new version of the rules or privacy."""

    def __init__(self, *args, consent_kinds=(), versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        add_consent_fields(self, consent_kinds, versions)
        self.consent_kinds = list(consent_kinds)
        self.style_widgets()


class ProfileForm(PortalFormMixin, forms.ModelForm):
    """The member's profile: authority, office, position and contact details.

    The authority is typed in ``ente_query``; the autocomplete (JavaScript) fills the hidden
    ``ente`` with the chosen id. Without JavaScript the typed text is resolved on the server and,
    when it matches several authorities, the form comes back with the candidates to choose from.
    A member whose authority is missing proposes it (``propose``): it is created awaiting approval
    and usable by them right away.
    """

    ente_query = forms.CharField(
        label=_("Your authority"),
        required=False,
        max_length=255,
        help_text=_(
            "Type the name of your municipality or authority (or its ISTAT or IPA code) and "
            "choose it from the list."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    ente = forms.CharField(required=False, widget=forms.HiddenInput)
    ente_choice = forms.CharField(required=False)
    propose = forms.BooleanField(
        label=_("My authority is not in the list: I propose to add it"), required=False
    )
    proposal_kind = forms.ChoiceField(
        label=_("Kind of authority"), choices=Ente.Kind.choices, required=False
    )
    proposal_name = forms.CharField(
        label=_("Name of the authority"), max_length=255, required=False
    )
    proposal_region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("Choose a region"))] + [(r, r) for r in REGIONS],
        required=False,
    )
    proposal_province = forms.CharField(label=_("Province"), max_length=64, required=False)
    proposal_ipa_code = forms.CharField(
        label=_("IPA code (optional)"),
        max_length=32,
        required=False,
        help_text=_("The code of the authority in the IndicePA registry, if you know it."),
    )

    class Meta:
        model = User
        fields = ["office", "position", "contact_email", "phone", "show_in_directory"]
        widgets = {
            "position": forms.RadioSelect,
            "office": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": TelInput(attrs={"autocomplete": "tel"}),
        }
        labels = {"office": _("Office or role in your authority")}
        help_texts = {
            "office": _("For example: Servizi informatici, Ufficio anagrafe, Segreteria generale."),
            "contact_email": _("The address the Community uses to write to you."),
            "phone": _("A number where the Community's team can reach you (optional)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance
        self.ente_candidates = []
        self.fields["office"].required = True
        self.fields["position"].required = True
        self.fields["position"].choices = User.Position.choices
        self.fields["contact_email"].required = True
        if not self.is_bound:
            if not user.contact_email and user.email:
                self.initial["contact_email"] = user.email
            if user.ente_id and user.ente.status != Ente.Status.REJECTED:
                self.initial["ente"] = user.ente_id
                self.initial["ente_query"] = str(user.ente)
        self.style_widgets()

    def clean_phone(self):
        phone = " ".join(self.cleaned_data.get("phone", "").split())
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(
                _("Enter a phone number with digits only (and an optional leading +).")
            )
        return phone

    def _selectable(self, value):
        if not str(value or "").isdigit():
            return None
        return selectable_enti(self.instance).filter(pk=int(value)).first()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("propose"):
            self.clean_proposal(cleaned)
            return cleaned
        text = " ".join(cleaned.get("ente_query", "").split())
        # 1. a candidate chosen from the list the server offered (no JavaScript);
        ente = self._selectable(cleaned.get("ente_choice"))
        # 2. the autocomplete's choice, unless the text was changed afterwards;
        if ente is None:
            chosen = self._selectable(cleaned.get("ente"))
            if chosen is not None and (not text or text.casefold() == str(chosen).casefold()):
                ente = chosen
        # 3. whatever the member typed.
        if ente is None:
            if not text:
                self.add_error(
                    "ente_query",
                    _("Choose your authority, or propose it below if it is not in the list."),
                )
                return cleaned
            ente, self.ente_candidates = resolve_ente(text, self.instance)
            if ente is None:
                if self.ente_candidates:
                    message = _("Several authorities match “%(text)s”: choose yours from the list.")
                else:
                    message = _(
                        "No authority matches “%(text)s”. Check the spelling, or propose your "
                        "authority below."
                    )
                self.add_error("ente_query", message % {"text": text})
                return cleaned
        cleaned["ente"] = ente
        # Show the resolved authority if the form comes back for another error.
        self.data = self.data.copy()
        self.data[self.add_prefix("ente")] = str(ente.pk)
        self.data[self.add_prefix("ente_query")] = str(ente)
        return cleaned

    def clean_proposal(self, cleaned):
        required = {
            "proposal_kind": _("Choose the kind of authority."),
            "proposal_name": _("Enter the name of the authority."),
            "proposal_region": _("Choose the region."),
        }
        for name, message in required.items():
            if not cleaned.get(name):
                self.add_error(name, message)
        name = " ".join(cleaned.get("proposal_name", "").split())
        cleaned["proposal_name"] = name
        if name and cleaned.get("proposal_kind"):
            existing = (
                Ente.objects.filter(
                    status=Ente.Status.APPROVED,
                    kind=cleaned["proposal_kind"],
                    name__iexact=name,
                )
                .order_by("pk")
                .first()
            )
            if existing is not None:
                self.add_error(
                    "proposal_name",
                    _("“%(ente)s” is already in the registry: choose it in the field above.")
                    % {"ente": existing},
                )

    def save(self, commit=True):
        user = super().save(commit=False)
        data = self.cleaned_data
        if data.get("propose"):
            user.ente = Ente.objects.create(
                kind=data["proposal_kind"],
                name=data["proposal_name"],
                region=data["proposal_region"],
                province=data.get("proposal_province", ""),
                ipa_code=data.get("proposal_ipa_code", ""),
                status=Ente.Status.PENDING,
                proposed_by=user,
            )
        else:
            user.ente = data["ente"]
        if commit:
            user.save()
        return user

    @property
    def proposal_fields(self):
        return [
            self[name]
            for name in (
                "proposal_kind",
                "proposal_name",
                "proposal_region",
                "proposal_province",
                "proposal_ipa_code",
            )
        ]

    @property
    def proposal_open(self):
        return bool(self.is_bound and self.data.get(self.add_prefix("propose")))


class OnboardingForm(ProfileForm):
    """The first-access form: profile plus the acceptances that are missing."""

    def __init__(self, *args, consent_kinds=(), versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        add_consent_fields(self, consent_kinds, versions)
        self.consent_kinds = list(consent_kinds)
        # The error summary follows the page: acceptances first.
        self.order_fields([f"accept_{kind}" for kind in self.consent_kinds])
        self.style_widgets()

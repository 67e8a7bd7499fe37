"""Who you are: the portal's user model, the registry of authorities (Enti), consents and the
SAML replay cache."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .population import population_class, population_class_choices


class Ente(models.Model):
    """A local authority (or similar body) that members work for."""

    class Kind(models.TextChoices):
        COMUNE = "comune", _("Municipality (Comune)")
        UNIONE = "unione", _("Union of municipalities")
        CONSORZIO = "consorzio", _("Association or consortium of municipalities")
        CITTA_METROPOLITANA = "citta_metropolitana", _("Metropolitan city")
        PROVINCIA = "provincia", _("Province")
        IN_HOUSE = "in_house", _("In-house company")
        ALTRO = "altro", _("Other")

    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PENDING = "pending", _("Awaiting approval")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.COMUNE)
    name = models.CharField(_("name"), max_length=255, db_index=True)
    istat_code = models.CharField(
        _("ISTAT code"), max_length=16, unique=True, null=True, blank=True
    )
    ipa_code = models.CharField(_("IPA code"), max_length=32, blank=True, db_index=True)
    region = models.CharField(_("region"), max_length=64, blank=True)
    province = models.CharField(_("province"), max_length=64, blank=True)
    province_code = models.CharField(_("province abbreviation"), max_length=4, blank=True)
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, help_text=_("Resident population (ISTAT).")
    )
    population_source = models.CharField(
        _("population source"),
        max_length=255,
        blank=True,
        help_text=_("Where the population comes from, as cited next to it."),
    )
    population_date = models.DateField(
        _("population reference date"),
        null=True,
        blank=True,
        help_text=_("The date the population refers to."),
    )
    # Derived from ``population`` on save and by the loaders (which save in bulk): stored so
    # that authorities can be filtered by it.
    population_class = models.CharField(
        _("population class"),
        max_length=16,
        choices=population_class_choices(),
        blank=True,
        db_index=True,
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPROVED, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_enti",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    #: The unions of Comuni this authority belongs to (a territory of the competence-centre
    #: survey, ``mappa.territory``); set by staff in the registry's admin.
    unions = models.ManyToManyField(
        "self",
        verbose_name=_("unions of municipalities"),
        symmetrical=False,
        blank=True,
        related_name="union_members",
        limit_choices_to={"kind": "unione"},
        help_text=_("The unions of municipalities (Unioni di Comuni) this authority belongs to."),
    )

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["name"]

    def __str__(self):
        if self.province_code:
            return f"{self.name} ({self.province_code})"
        return self.name

    def save(self, *args, **kwargs):
        self.population_class = population_class(self.population)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "population" in update_fields:
            kwargs["update_fields"] = {*update_fields, "population_class"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.population is None:
            return
        errors = {}
        if not self.population_source.strip():
            errors["population_source"] = _("Cite where the population comes from.")
        if self.population_date is None:
            errors["population_date"] = _("Give the date the population refers to.")
        if errors:
            raise ValidationError(errors)


class User(AbstractUser):
    """A portal user. Members are keyed on the fiscal number (set by SPID/CIE sign-in);
    staff accounts are ordinary Django accounts with a username and password."""

    class Position(models.TextChoices):
        EMPLOYEE = "employee", _("Employee")
        MAYOR = "sindaco", _("Mayor (Sindaco)")
        ASSESSORE = "assessore", _("Councillor with executive duties (Assessore)")
        COUNCILLOR = "consigliere", _("Councillor with a digital portfolio")

    class LoginMethod(models.TextChoices):
        SPID = "spid", "SPID"
        CIE = "cie", "CIE"
        PASSWORD = "password", _("Password (staff)")

    fiscal_number = models.CharField(
        _("fiscal number"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Codice fiscale, without the TINIT- prefix."),
    )
    ente = models.ForeignKey(
        Ente,
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    office = models.CharField(_("office or role"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=16, choices=Position.choices, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    show_in_directory = models.BooleanField(
        _("show me in the member directories"),
        default=True,
        help_text=_("Members of your communities see your name, authority and role."),
    )
    onboarded_at = models.DateTimeField(_("registration completed"), null=True, blank=True)
    last_login_method = models.CharField(
        _("last sign-in method"), max_length=16, choices=LoginMethod.choices, blank=True
    )
    deleted_at = models.DateTimeField(_("account deleted"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username


class Consent(models.Model):
    """An acceptance of a versioned document (Community rules, privacy notice)."""

    class Kind(models.TextChoices):
        RULES = "rules", _("Community rules")
        PRIVACY = "privacy", _("Privacy notice")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(_("document"), max_length=16, choices=Kind.choices)
    version = models.CharField(_("version"), max_length=32)
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "version"], name="membership_consent_once_per_version"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} {self.version}"


class UsedAssertion(models.Model):
    """SAML assertion IDs already consumed, kept until they expire: a replayed assertion is
    refused by every server process because the insert violates the unique constraint."""

    assertion_id = models.CharField(max_length=255, unique=True)
    issuer = models.CharField(max_length=512)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("consumed SAML assertion")
        verbose_name_plural = _("consumed SAML assertions")

    def __str__(self):
        return self.assertion_id

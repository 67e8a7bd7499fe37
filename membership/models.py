"""Who you are: the portal's user model."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A portal user. Members are keyed on the fiscal number (set by SPID/CIE sign-in);
    staff accounts are ordinary Django accounts with a username and password."""

    fiscal_number = models.CharField(
        _("fiscal number"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Codice fiscale, without the TINIT- prefix."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

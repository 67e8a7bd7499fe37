"""The sign-in page (``/accedi/``): SPID and CIE for members of local authorities (the buttons
start the SAML login in ``membership/saml/views.py``), an account for staff."""

from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .. import idp_registry
from ..middleware import EXPIRED_KEY

# The SAML service provider's login endpoints (membership/saml/urls.py).
SAML_LOGIN_PATHS = {"spid": "/spid/login/", "cie": "/cie/login/"}


def relative_next(value: str | None) -> str:
    """``value`` if it is a safe path on this site ("/…"), else "" (no open redirects)."""
    value = (value or "").strip()
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return ""
    if any(char in value for char in "\r\n\t\\"):
        return ""
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=set(), require_https=False):
        return ""
    return value


def idp_login_url(kind: str, entity_id: str, next_url: str = "") -> str:
    query = {"idp": entity_id}
    if next_url:
        query["next"] = next_url
    return f"{SAML_LOGIN_PATHS[kind]}?{urlencode(query)}"


class LoginView(auth_views.LoginView):
    """The sign-in page: SPID and CIE for members of local authorities, an account for staff."""

    template_name = "membership/login.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": _("Sign in")}

    def get_redirect_url(self):
        # Only relative paths are honoured, for staff sign-in as for SPID/CIE.
        return relative_next(
            self.request.POST.get(self.redirect_field_name)
            or self.request.GET.get(self.redirect_field_name)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        next_url = self.get_redirect_url()
        providers = {}
        for kind in idp_registry.KINDS:
            providers[kind] = [
                {
                    "entity_id": provider.entity_id,
                    "name": provider.name,
                    "logo": provider.logo,
                    "url": idp_login_url(kind, provider.entity_id, next_url),
                }
                for provider in idp_registry.identity_providers(kind)
            ]
        # Signed out for inactivity (membership.middleware.IdleSessionMiddleware): say so once.
        expired = self.request.method == "GET" and self.request.session.pop(EXPIRED_KEY, False)
        context.update(
            {
                "session_expired": bool(expired),
                self.redirect_field_name: next_url,
                "spid_providers": providers["spid"],
                "cie_providers": providers["cie"],
            }
        )
        return context


class LogoutView(auth_views.LogoutView):
    pass

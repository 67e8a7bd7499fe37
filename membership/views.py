from django.contrib.auth import views as auth_views
from django.utils.translation import gettext_lazy as _


class LoginView(auth_views.LoginView):
    """The sign-in page. Members will sign in with SPID or CIE; staff use their account."""

    template_name = "membership/login.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": _("Sign in")}


class LogoutView(auth_views.LogoutView):
    pass

"""SAML endpoints (outside the language prefix: their URLs are in the SP metadata)."""

from django.urls import path

from . import views

urlpatterns = []
for _kind in ("spid", "cie"):
    urlpatterns += [
        path(
            f"{_kind}/metadata/",
            views.MetadataView.as_view(),
            {"kind": _kind},
            name=f"saml_{_kind}_metadata",
        ),
        path(
            f"{_kind}/login/",
            views.LoginView.as_view(),
            {"kind": _kind},
            name=f"saml_{_kind}_login",
        ),
        path(
            f"{_kind}/acs/",
            views.AssertionConsumerServiceView.as_view(),
            {"kind": _kind},
            name=f"saml_{_kind}_acs",
        ),
        path(
            f"{_kind}/ls/",
            views.SingleLogoutView.as_view(),
            {"kind": _kind},
            name=f"saml_{_kind}_ls",
        ),
    ]
del _kind

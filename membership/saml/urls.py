"""SAML endpoints (outside the language prefix: their URLs are in the SP metadata)."""

urlpatterns = []

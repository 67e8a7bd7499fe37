"""The member's pages: sign-in (``login``), registration (``onboarding``), own profile
(``profile``) and the authorities' autocomplete (``enti``). The SAML endpoints are in
``membership/saml/views.py``."""

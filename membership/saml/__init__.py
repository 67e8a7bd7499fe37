"""SPID and CIE (SAML 2.0) service provider."""

"""A demo SAML identity provider for SPID and CIE (development, demo and tests only).

Never installed in production settings: cms/urls.py mounts it at /demo-idp/ only when the app
is installed, and membership.idp_registry trusts it only then.
"""

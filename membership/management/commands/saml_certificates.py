"""Create the development/test SPID-profile key and certificate (idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from membership.saml.certificates import ensure_dev_certificates


class Command(BaseCommand):
    help = "Create the self-signed SPID/CIE SP key and certificate for development and tests."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="replace an existing pair")

    def handle(self, *args, **options):
        if settings.SAML_KEY_FILE and settings.SAML_CERT_FILE:
            self.stdout.write(f"Using SAML_KEY_FILE={settings.SAML_KEY_FILE}")
            return
        if not settings.SAML_AUTO_CERTIFICATES:
            raise CommandError("Production reads SAML_KEY_FILE/SAML_CERT_FILE: see docs/deploy.md")
        key_path, cert_path = ensure_dev_certificates(force=options["force"])
        self.stdout.write(f"Key: {key_path}\nCertificate: {cert_path}")

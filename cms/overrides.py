"""Every place where the portal reaches into a library's internals, in one module.

The portal extends Wagtail, Django and djangosaml2 through their public APIs: subclasses, hooks,
settings, signals, and its own cached wrappers that its code calls (``cms.locales``,
``cms.chrome``, ``cms.cache.mark_private``). What follows has no public API; each item says why
it is needed, and ``tests/cms/test_overrides.py`` fails loudly when the library changes under
it (a new major version, a renamed or re-signed function, a cache that moved), so that an upgrade
shows which override to revisit instead of silently losing speed or safety.

1. **Wagtail's locale look-up** (``LocaleManager.get_for_language``, replaced by ``install()``).
   Wagtail looks the active ``Locale`` up itself on every page it serves
   (``Page.route_for_request`` → ``localized``) and on every rich text with page links: one query
   each, three to five per page, for rows that almost never change. The portal's own code calls
   ``cms.locales`` (a snapshot); Wagtail's code can only be reached by answering its manager
   method from the same snapshot. Other databases and managers still ask Wagtail's method.
2. **Wagtail's per-request site and settings caches** (``prime_request``). Wagtail's serve view,
   its settings (``PortalSettings.for_request``), the userbar and routing all call
   ``Site.find_for_request``, which runs a query unless ``request._wagtail_site`` is set, and
   ``BaseSiteSetting.for_request`` caches the settings on the request under
   ``get_cache_attr_name()`` with ``_request`` set on them. ``Site`` cannot be replaced and has no
   look-up hook, so the site and settings from ``cms.chrome``'s snapshot are put where Wagtail
   would put them itself: the same objects, found by the same rules, without the queries.
3. **Formula escaping in Wagtail's own reports** (``SpreadsheetExportMixin.preprocess_field_value``,
   wrapped by ``install()``). The portal's viewsets subclass the documented step
   (``cms.spreadsheets.SafeSpreadsheetExportMixin``); Wagtail's own reports (Site history, page
   reports, redirects) are views that cannot be subclassed into their URLs (OWASP CSV injection).
4. **djangosaml2's subject id in the session** (``saml_subject_id``, ``set_saml_subject_id``).
   The portal's SAML views replace djangosaml2's (the ACS, logout and its service), and must read
   and write the name id exactly as djangosaml2's own views do, which it keeps in private
   helpers (``_get_subject_id``/``_set_subject_id``: an encoded session key) with no public API.

``install()`` is called once, from ``CmsConfig.ready``, and is idempotent.
"""

from __future__ import annotations

#: The library versions these overrides were written and tested against (major versions).
WAGTAIL_MAJOR = 8
DJANGOSAML2_MAJOR = 1

_PORTAL_MARK = "_portal_override"


# --- 1. Locales ---------------------------------------------------------------------------------


def _locale_manager_override():
    from wagtail.models.i18n import LocaleManager

    original = LocaleManager.get_for_language

    def get_for_language(self, language_code):
        # Only the plain default manager: another database, or a manager with hints, asks Wagtail.
        if type(self) is not LocaleManager or self._db is not None or self._hints:
            return original(self, language_code)
        from . import locales

        return locales.get_for_language(language_code)

    get_for_language.__doc__ = original.__doc__
    get_for_language.__wrapped__ = original
    setattr(get_for_language, _PORTAL_MARK, True)
    return LocaleManager, "get_for_language", get_for_language


# --- 2. The request's site and settings ---------------------------------------------------------


def prime_request(request, find_site, settings_model, settings_for_site) -> None:
    """Put the request's site (``find_site()``) and its ``settings_model`` instance
    (``settings_for_site(site)``) where ``Site.find_for_request`` and ``for_request`` look first,
    unless they are already there."""
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = find_site()
    site = request._wagtail_site
    attr = settings_model.get_cache_attr_name()
    if site is not None and not hasattr(request, attr):
        instance = settings_for_site(site)
        instance._request = request  # as for_request does: page URLs relative to the request
        setattr(request, attr, instance)


# --- 3. Spreadsheet exports ---------------------------------------------------------------------


def _export_override():
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    from .spreadsheets import escape_formula

    original = SpreadsheetExportMixin.preprocess_field_value

    def preprocess_field_value(self, field, value, export_format):
        return escape_formula(original(self, field, value, export_format))

    preprocess_field_value.__doc__ = original.__doc__
    preprocess_field_value.__wrapped__ = original
    preprocess_field_value._portal_escapes_formulas = True
    setattr(preprocess_field_value, _PORTAL_MARK, True)
    return SpreadsheetExportMixin, "preprocess_field_value", preprocess_field_value


# --- 4. djangosaml2's subject id ----------------------------------------------------------------


def saml_subject_id(session):
    """The SAML name id djangosaml2 stored in ``session`` (its ``saml_session``), or ``None``."""
    from djangosaml2.views import _get_subject_id

    return _get_subject_id(session)


def set_saml_subject_id(session, subject_id) -> None:
    """Store the SAML name id in ``session`` as djangosaml2's own views do."""
    from djangosaml2.views import _set_subject_id

    _set_subject_id(session, subject_id)


# --- Installing ---------------------------------------------------------------------------------


def _replacements():
    return (_locale_manager_override, _export_override)


def installed() -> dict[str, bool]:
    """``{"Class.method": installed?}`` for every replaced method."""
    result = {}
    for make in _replacements():
        owner, name, _replacement = make()
        current = getattr(owner, name)
        result[f"{owner.__name__}.{name}"] = getattr(current, _PORTAL_MARK, False)
    return result


def install() -> None:
    """Apply the replaced methods (1 and 3 above). Idempotent."""
    for make in _replacements():
        owner, name, replacement = make()
        if not getattr(getattr(owner, name), _PORTAL_MARK, False):
            setattr(owner, name, replacement)

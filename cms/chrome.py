"""The page chrome's shared data: the site, the portal settings, the home page of each language,
the main menu and the footer links.

They are the same for every user and change only when an editor changes pages, sites or settings,
so they come from snapshots (``cms/snapshots.py``) keyed on the page cache's generation, which
every such change bumps. What depends on the user is decided per request from the data: the
main menu is filtered with the access policy (``cms.access.is_path_visible``), the
current and active flags are computed from the page being rendered.

``SharedDataMiddleware`` gives Wagtail the request's site and portal settings from the snapshot
(``Site.find_for_request`` and ``PortalSettings.for_request`` then answer without a query); the
portal's own code asks those public methods. Wagtail has no hook for this: the one place that
fills its per-request caches is ``cms/overrides.py``.
"""

from __future__ import annotations

import pickle

from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Locale, Page, Site

from . import locales, overrides, snapshots

# Wagtail's ranking of the sites for a request (wagtail.models.sites.get_site_for_hostname).
MATCH_HOSTNAME_PORT = 0
MATCH_HOSTNAME_DEFAULT = 1
MATCH_DEFAULT = 2
MATCH_HOSTNAME = 3


def _load_sites():
    return tuple(
        (site.hostname, site.port, site.is_default_site, pickle.dumps(site))
        for site in Site.objects.select_related("root_page").order_by("pk")
    )


def _sites():
    """``(hostname, port, is_default_site, pickled Site with its root page)`` of every site."""
    return snapshots.cached("chrome:sites", _load_sites)


def find_site(request) -> Site | None:
    """``Site.find_for_request`` (the same ranking as Wagtail's) without a query: a new
    ``Site`` instance (with its ``root_page``) per call, or ``None``."""
    try:
        hostname = split_domain_port(request._get_raw_host())[0]
        port = int(request.get_port())
    except (TypeError, ValueError):
        return Site.find_for_request(request)

    def match(entry):
        site_hostname, site_port, is_default, _pickled = entry
        if site_hostname == hostname:
            if site_port == port:
                return MATCH_HOSTNAME_PORT
            return MATCH_HOSTNAME_DEFAULT if is_default else MATCH_HOSTNAME
        return MATCH_DEFAULT

    candidates = sorted(
        (entry for entry in _sites() if entry[0] == hostname or entry[2]), key=match
    )
    chosen = None
    if candidates:
        first = match(candidates[0])
        if len(candidates) == 1 or first in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
            chosen = candidates[0]
        elif first == MATCH_DEFAULT:
            chosen = candidates[len(candidates) == 2]
    return pickle.loads(chosen[3]) if chosen is not None else None  # noqa: S301 - our pickle


def _portal_settings_model():
    from .models import PortalSettings

    return PortalSettings


def portal_settings_for(site: Site):
    """The site's ``PortalSettings`` (a new instance per call), created with the defaults when
    missing, as ``PortalSettings.for_site`` does."""
    model = _portal_settings_model()
    return snapshots.cached(
        f"chrome:portal-settings:{site.pk}", lambda: model.for_site(site), copy=True
    )


def prime(request) -> None:
    """Give Wagtail the request's site and portal settings from the snapshots, so that
    ``Site.find_for_request`` and ``PortalSettings.for_request`` answer without a query (through
    Wagtail's own per-request caches: ``cms/overrides.py``)."""
    overrides.prime_request(
        request,
        find_site=lambda: find_site(request),
        settings_model=_portal_settings_model(),
        settings_for_site=portal_settings_for,
    )


class SharedDataMiddleware:
    """``prime`` every request that is not answered from the page cache. Place it before the
    registration middleware (the first to ask for the site and the settings)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prime(request)
        return self.get_response(request)


# --- Data of the template tags (cms/templatetags/portal_tags.py) --------------------------------


def _load_locale_home(site: Site, code: str) -> Page:
    root = site.root_page
    if code == locales.language_code(root.locale_id):
        return root
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        return root
    translated = root.get_translation_or_none(locale)
    if translated is None or not translated.live:
        return root
    return translated


def locale_home(request, language_code: str | None = None) -> Page | None:
    """The site's home page in ``language_code`` (the active language by default), falling back
    to the site's root page when there is no live translation. A new instance per call."""
    if request is None:
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    code = language_code or translation.get_language()
    return snapshots.cached(
        f"chrome:locale-home:{site.pk}:{code}",
        lambda: _load_locale_home(site, code),
        copy=True,
    )


def menu_items(request, home: Page) -> tuple[tuple[int, str, str, str], ...]:
    """``(id, path, title, url)`` of the live ``show_in_menus`` children of ``home``, for every
    user: filter them with ``access.is_path_visible``."""
    site = Site.find_for_request(request)

    def compute():
        children = home.get_children().in_menu().live()
        return tuple(
            (child.pk, child.path, child.title, child.get_url(request)) for child in children
        )

    return snapshots.cached(f"chrome:menu:{site.pk if site else 0}:{home.pk}", compute)


def footer_pages(request, fields) -> tuple[tuple[str, str], ...]:
    """``(field, url)`` of the pages chosen in the portal settings (``fields``), each in the
    active language when translated, else as chosen; pages without a URL left out."""
    from .models import PortalSettings

    site = Site.find_for_request(request)
    code = translation.get_language()

    def compute():
        portal_settings = PortalSettings.for_request(request)
        chosen = {field: getattr(portal_settings, f"{field}_id") for field in fields}
        pages = Page.objects.live().in_bulk([pk for pk in chosen.values() if pk])
        translated = {
            page.translation_key: page
            for page in Page.objects.live().filter(
                translation_key__in=[page.translation_key for page in pages.values()],
                locale__language_code=code,
            )
        }
        links = []
        for field in fields:
            page = pages.get(chosen[field])
            if page is None:
                continue
            page = translated.get(page.translation_key, page)
            url = page.get_url(request)
            if url:
                links.append((field, url))
        return tuple(links)

    if site is None:
        return compute()
    return snapshots.cached(f"chrome:footer:{site.pk}:{code}:{','.join(fields)}", compute)


def child_of_type(parent: Page, model) -> Page | None:
    """The first live child of ``parent`` of type ``model`` (or a subclass), as a plain ``Page``
    (a new instance per call), or ``None``."""
    return snapshots.cached(
        f"chrome:child-of-type:{parent.pk}:{model._meta.label_lower}",
        lambda: Page.objects.child_of(parent).live().type(model).first(),
        copy=True,
    )


def _per_page(request, kind: str, page: Page, compute):
    """A snapshot of data about one page for the request's site (``compute()`` uncached without a
    request: page URLs depend on the site)."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return compute()
    return snapshots.cached(f"chrome:{kind}:{site.pk}:{page.pk}", compute)


def ancestors(request, page: Page) -> tuple[tuple[int, str, str], ...]:
    """``(depth, title, url)`` of the live ancestors of ``page`` from the home page (depth 2)
    down, for the breadcrumbs. A page's ancestors are visible to whoever may see the page."""

    def compute():
        rows = Page.objects.ancestor_of(page).filter(depth__gte=2).live()
        return tuple((row.depth, row.title, row.get_url(request)) for row in rows)

    return _per_page(request, "ancestors", page, compute)


def translations(request, page: Page) -> tuple[tuple[str, str, str], ...]:
    """``(language code, path, url)`` of the live translations of ``page`` (itself included),
    for every user: filter them with ``access.is_path_visible``."""

    def compute():
        rows = page.get_translations(inclusive=True).live().select_related("locale")
        return tuple((row.locale.language_code, row.path, row.get_url(request)) for row in rows)

    return _per_page(request, "translations", page, compute)

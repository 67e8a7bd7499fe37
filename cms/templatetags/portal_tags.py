"""Template tags for the portal's layout: navigation, breadcrumbs, language switcher, footer.

Every list of pages shown to a user goes through ``cms.access`` so that the menu never
reveals a page the user may not open.

The data of the chrome (home page per language, main menu, footer links) is the same for
everyone and comes from ``cms.chrome`` (cached per page-cache generation); only the filtering by
user and the current/active flags are computed per request.
"""

from __future__ import annotations

from django import template
from django.apps import apps
from django.conf import settings
from django.urls import translate_url
from django.utils import dateformat, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms import access, chrome

register = template.Library()

FOOTER_PAGES = (
    ("accessibility_page", _("Accessibility statement")),
    ("privacy_page", _("Privacy notice")),
    ("legal_page", _("Legal notes")),
    ("rules_page", _("Community rules")),
)


def _request(context):
    return context.get("request")


def _current_page(context):
    """The Wagtail page being rendered, if any (``page`` may be something else in app views)."""
    page = context.get("page")
    if isinstance(page, Page):
        return page
    page = context.get("self")
    return page if isinstance(page, Page) else None


def _locale_root(request, language_code=None):
    """The site's home page in ``language_code`` (the active language by default).

    Falls back to the site's root page when there is no live translation.
    """
    return chrome.locale_home(request, language_code)


@register.simple_tag(takes_context=True)
def locale_home(context):
    """The home page of the current language: ``{% locale_home as home %}``."""
    request = _request(context)
    cache_key = "_portal_locale_home"
    if request is not None and hasattr(request, cache_key):
        return getattr(request, cache_key)
    home = _locale_root(request)
    if request is not None:
        setattr(request, cache_key, home)
    return home


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """Live ``show_in_menus`` children of the current language's home page the user may see."""
    request = _request(context)
    home = locale_home(context)
    current = _current_page(context)
    items = []
    if home is not None and request is not None:
        user = request.user
        for pk, path, title, url in chrome.menu_items(request, home):
            if not access.is_path_visible(user, path):
                continue
            items.append(
                {
                    "title": title,
                    "url": url,
                    "current": current is not None and current.pk == pk,
                    "active": current is not None and current.path.startswith(path),
                }
            )
    return {"items": items}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, title=None):
    """Breadcrumbs from the home page to the current page.

    In views that do not render a Wagtail page (search, sign in), pass the current title:
    ``{% breadcrumbs title=_("Search") %}``. Nothing is shown on the home page itself.
    """
    request = _request(context)
    current = _current_page(context)
    crumbs = []
    if current is not None:
        if current.depth <= 2:
            return {"crumbs": []}
        for depth, ancestor_title, url in chrome.ancestors(request, current):
            label = _("Home") if depth == 2 else ancestor_title
            crumbs.append({"title": label, "url": url})
        crumbs.append({"title": current.title, "url": None})
    elif title:
        home = locale_home(context)
        if home is not None:
            crumbs.append({"title": _("Home"), "url": home.get_url(request)})
        crumbs.append({"title": title, "url": None})
    return {"crumbs": crumbs}


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language, for the language switcher.

    A Wagtail page links to its live translations; a language without a translation links to
    that language's home page. Other views link to the same URL in the other language.
    """
    request = _request(context)
    if request is None:
        return []
    current_code = translation.get_language()
    page = _current_page(context)
    translations = {}
    if page is not None and page.pk:
        for code, path, url in chrome.translations(request, page):
            if access.is_path_visible(request.user, path):
                translations[code] = url
    full_path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        if code in translations:
            url = translations[code]
        elif page is None and code == current_code:
            url = full_path
        else:
            url = None
            if page is None:
                translated = translate_url(full_path, code)
                if translated != full_path:
                    url = translated
            if url is None:
                home = _locale_root(request, code)
                url = home.get_url(request) if home is not None else "/"
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "current": code == current_code,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def footer_links(context):
    """Links to the pages chosen in the portal settings, in the current language."""
    request = _request(context)
    if request is None:
        return []
    labels = dict(FOOTER_PAGES)
    fields = tuple(field for field, _label in FOOTER_PAGES)
    return [
        {"title": labels[field], "url": url} for field, url in chrome.footer_pages(request, fields)
    ]


@register.simple_tag(takes_context=True)
def portal_userbar(context, position="bottom-right"):
    """Wagtail's userbar, for the users who may enter the admin: ``{% wagtailuserbar %}`` asks
    ``user.has_perm`` (two queries) on every page; ``access.can_use_admin`` answers the same
    without a query for everyone else."""
    request = _request(context)
    user = getattr(request, "user", None)
    if user is None or not access.can_use_admin(user):
        return ""
    from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

    return wagtailuserbar(context, position)


@register.simple_tag
def child_of_type(parent, model_label):
    """The first live child of ``parent`` of a type.

    ``{% child_of_type page "cms.NewsIndexPage" as news_index %}``
    """
    if parent is None:
        return None
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return None
    page = chrome.child_of_type(parent, model)
    # Its specific class without a query: the page's own fields load when first read.
    return page.specific_deferred if page is not None else None


@register.simple_tag
def elided_page_range(page_obj, on_each_side=2, on_ends=1):
    """Page numbers around the current one, with ``…`` for the gaps (Django's paginator)."""
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )


DATE_FORMATS = {
    "date": "j F Y",
    "datetime": "j F Y, H:i",
    "full": "l j F Y, H:i",
    "time": "H:i",
}


@register.filter(expects_localtime=True)
def human_date(value, kind="date"):
    """A date for people: "22 gennaio 2026", "22 January 2026", "giovedì 22 gennaio 2026, 10:00".

    Italian writes month and day names in lower case, which Django's catalogue does not.
    Aware datetimes are shown in the current time zone (Europe/Rome).
    """
    if value in (None, ""):
        return ""
    text = dateformat.format(value, DATE_FORMATS.get(kind, kind))
    if translation.get_language() == "it":
        text = text.lower()
    return text


@register.filter
def document_size(document):
    """The size in bytes of a Wagtail document, or None when unknown.

    Uses the stored ``file_size`` and falls back to asking the storage, without writing to the
    database during a GET (``Document.get_file_size`` would save).
    """
    if document is None:
        return None
    if document.file_size is not None:
        return document.file_size
    try:
        return document.file.size
    except Exception:  # noqa: BLE001 - a missing file must not break the page
        return None


@register.filter
def is_ellipsis(value):
    from django.core.paginator import Paginator

    return value == Paginator.ELLIPSIS

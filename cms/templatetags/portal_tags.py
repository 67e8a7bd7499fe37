"""Template tags for the portal's layout: navigation, breadcrumbs, language switcher, footer.

Every list of pages shown to a user goes through ``communities.access`` so that the menu never
reveals a page the user may not open.
"""

from __future__ import annotations

from django import template
from django.apps import apps
from django.conf import settings
from django.urls import translate_url
from django.utils import dateformat, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, Site

from communities import access

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


def _site_root(request):
    if request is None:
        return None
    site = Site.find_for_request(request)
    return site.root_page if site else None


def _locale_root(request, language_code=None):
    """The site's home page in ``language_code`` (the active language by default).

    Falls back to the site's root page when there is no live translation.
    """
    root = _site_root(request)
    if root is None:
        return None
    code = language_code or translation.get_language()
    if code == root.locale.language_code:
        return root
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        return root
    translated = root.get_translation_or_none(locale)
    if translated is None or not translated.live:
        return root
    return translated


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
        children = access.visible_pages(request.user, home.get_children().in_menu())
        for child in children:
            is_current = current is not None and current.pk == child.pk
            is_ancestor = current is not None and current.path.startswith(child.path)
            items.append(
                {
                    "title": child.title,
                    "url": child.get_url(request),
                    "current": is_current,
                    "active": is_ancestor,
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
        ancestors = Page.objects.ancestor_of(current).filter(depth__gte=2).live()
        for ancestor in ancestors:
            label = _("Home") if ancestor.depth == 2 else ancestor.title
            crumbs.append({"title": label, "url": ancestor.get_url(request)})
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
        visible = access.visible_pages(request.user, page.get_translations(inclusive=True))
        for item in visible.select_related("locale"):
            translations[item.locale.language_code] = item
    full_path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        if code in translations:
            url = translations[code].get_url(request)
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
    """Links to the pages chosen in the portal settings, in the current language (two queries)."""
    from cms.models import PortalSettings

    request = _request(context)
    if request is None:
        return []
    portal_settings = PortalSettings.for_request(request)
    chosen = {field: getattr(portal_settings, f"{field}_id") for field, _label in FOOTER_PAGES}
    pages = Page.objects.live().in_bulk([pk for pk in chosen.values() if pk])
    code = translation.get_language()
    translated = {
        page.translation_key: page
        for page in Page.objects.live().filter(
            translation_key__in=[page.translation_key for page in pages.values()],
            locale__language_code=code,
        )
    }
    links = []
    for field, label in FOOTER_PAGES:
        page = pages.get(chosen[field])
        if page is None:
            continue
        page = translated.get(page.translation_key, page)
        url = page.get_url(request)
        if url:
            links.append({"title": label, "url": url})
    return links


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
    return model.objects.child_of(parent).live().first()


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

"""``manage.py load_demo``: the portal's demo content, in Italian with an English tree.

Idempotent: every object is looked up first (pages by slug under their parent, images and
documents by title in their collection, translations by locale) and created only when missing.
Existing objects are never changed, so a second run, or a run on a database an editor has
worked on, changes nothing. The content itself is data in ``cms.demo``.

The demo members (``cms.demo.communities``) follow the same rule: people are looked up by fiscal
code, memberships by person and community, and only what is missing is created. The one
exception is a demo IdP identity that signed in before this command gave it an account: its
registration is completed, so that it has the role the demo IdP announces.
"""

from __future__ import annotations

import logging
import re
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, PageViewRestriction, Site
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from cms.demo import communities as demo_communities
from cms.demo import content, documents, english
from cms.demo.images import banner
from cms.demo.pdf import build_document, build_slides
from cms.models import (
    HomePage,
    NewsIndexPage,
    NewsPage,
    PortalSettings,
    ResourcesPage,
    StandardPage,
)
from communities import services as community_services
from communities import spaces
from communities.access import forget as access_forget
from communities.models import (
    CommunityAreaPage,
    CommunityIndexPage,
    CommunityPage,
    Designation,
    Membership,
    ReservedPage,
    WorkingGroupMembership,
    WorkingGroupPage,
)
from demo_idp import identities as demo_identities
from faq.models import FAQIndexPage
from kits.models import KitDocument, KitIndexPage, KitPage, RelatedKit
from membership.models import Consent, Ente
from membership.registration import current_versions
from webinars.models import WebinarIndexPage, WebinarMaterial, WebinarPage

ROME = ZoneInfo("Europe/Rome")
ADMIN_USERNAME = "admin"
ADMIN_EMAIL = "admin@comunidigitali.example"
ADMIN_PASSWORD = "Demo-Comuni-2026!"  # noqa: S105 - documented demo credential, never reset
# Under production settings (DEMO_ADMIN_ACCOUNT off) the account is not created.
REFUSED_ADMIN = (
    f"Account dimostrativo «{ADMIN_USERNAME}» non creato: con le impostazioni di produzione "
    "load_demo non crea l'account con la password pubblica del README. Crea un amministratore "
    "con `manage.py createsuperuser` (make serve lo crea con una password generata)."
)
PUBLIC_PASSWORD_IN_USE = (
    f"ATTENZIONE: l'account «{ADMIN_USERNAME}» esiste e ha la password pubblica della demo: "
    "cambiala subito (`manage.py changepassword admin`)."
)

# The portal "opened" this many days before the demo is loaded: the first publication date of
# the home page and the section pages.
LAUNCH_DAYS_AGO = 130

SECTION_MODELS = {
    "news": NewsIndexPage,
    "communities": CommunityIndexPage,
    "kits": KitIndexPage,
    "webinars": WebinarIndexPage,
    "resources": ResourcesPage,
    "faq": FAQIndexPage,
}

PAGE_LINK = re.compile(r'<a page="([\w-]+)">')

# Loggers that report every page saved and every search-index task: quiet at verbosity 1.
CHATTY_LOGGERS = ("django.tasks", "wagtail", "wagtail_localize", "modelsearch")


@contextmanager
def quiet_loggers(names, level=logging.WARNING):
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, old in zip(loggers, previous, strict=True):
            logger.setLevel(old)


class DemoBuilder:
    """Builds the demo step by step; ``created`` collects what this run added."""

    def __init__(self, log):
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.pages: dict[str, Page] = {}
        self.keys: dict[int, str] = {}
        self.new_pages: list[Page] = []
        self.created = {
            "pages": 0,
            "translations": 0,
            "images": 0,
            "documents": 0,
            "members": 0,
            "memberships": 0,
        }
        self._images = {}
        self._documents = {}
        self.finishers = []
        self.launch = self.at(self.today - timedelta(days=LAUNCH_DAYS_AGO))

    # ------------------------------------------------------------------ basics

    def run(self):
        self.it = Locale.objects.get_or_create(language_code="it")[0]
        self.en = Locale.objects.get_or_create(language_code="en")[0]
        self.image_collection = self.collection(content.IMAGE_COLLECTION)
        self.kit_collection = self.collection(content.KIT_COLLECTION)
        self.webinar_collection = self.collection(content.WEBINAR_COLLECTION)

        home = self.home_page()
        site = self.default_site(home)
        self.build_tree(home)
        self.publish_new_pages()
        self.restrict_to_login()
        self.portal_settings(site)
        self.translate_tree()
        self.restrict_to_login()
        self.members(site)
        __import__("discussions.demo").demo.load(self.log)  # demo topics and replies
        # The documented demo password only where the settings allow it (dev, test): never
        # under production settings, whatever else this command creates.
        admin_created = self.admin_user() if settings.DEMO_ADMIN_ACCOUNT else None
        return site, admin_created

    def collection(self, name):
        # Wagtail's migrations create the root collection and root page; a flushed test
        # database (transactional tests) has neither, so recreate them when missing.
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        existing = root.get_children().filter(name=name).first()
        return existing or root.add_child(name=name)

    def image(self, key):
        """The Wagtail image for ``key`` in ``content.IMAGES``, drawn only if missing."""
        if key in self._images:
            return self._images[key]
        spec = content.IMAGES[key]
        model = get_image_model()
        image = model.objects.filter(title=spec["title"], collection=self.image_collection).first()
        if image is None:
            data = banner(
                spec["caption"],
                kicker=spec.get("kicker", ""),
                palette=spec.get("palette", "blue"),
                motif=spec.get("motif", "network"),
                size=spec.get("size", (1600, 900)),
            )
            image = model(
                title=spec["title"],
                description=spec["alt"],
                collection=self.image_collection,
                file=ContentFile(data, name=f"demo-{key}.jpg"),
            )
            image._set_image_file_metadata()
            image.save()
            self.created["images"] += 1
        self._images[key] = image
        return image

    def document(self, key):
        """The Wagtail document for ``key`` (a kit document or a slide deck)."""
        if key in self._documents:
            return self._documents[key]
        if key in documents.KIT_DOCUMENTS:
            spec, build, collection = (
                documents.KIT_DOCUMENTS[key],
                build_document,
                self.kit_collection,
            )
        elif key in demo_communities.PRIVATE_DOCUMENTS:
            spec = demo_communities.PRIVATE_DOCUMENTS[key]
            build, collection = build_document, self.private_collection(spec["space"])
        else:
            spec, build, collection = (
                documents.WEBINAR_SLIDES[key],
                build_slides,
                self.webinar_collection,
            )
        model = get_document_model()
        document = model.objects.filter(title=spec["title"], collection=collection).first()
        if document is None:
            document = model(
                title=spec["title"],
                collection=collection,
                file=ContentFile(build(spec), name=f"{spec['filename']}.pdf"),
            )
            document._set_document_file_metadata()
            document.save()
            self.created["documents"] += 1
        self._documents[key] = document
        return document

    # ------------------------------------------------------------------ rich text and blocks

    def rich(self, html):
        """Rich text with ``<a page="key">`` links turned into Wagtail page links."""

        def link(match):
            return f'<a linktype="page" id="{self.pages[match.group(1)].pk}">'

        return PAGE_LINK.sub(link, html)

    def stream(self, blocks):
        """Raw StreamField data from the compact tuples used in ``cms.demo.content``."""
        raw = []
        for kind, *args in blocks:
            if kind in ("h2", "h3", "h4"):
                raw.append({"type": "heading", "value": {"text": args[0], "level": kind}})
            elif kind == "p":
                raw.append({"type": "paragraph", "value": self.rich(args[0])})
            elif kind == "callout":
                style, title, text = args
                raw.append(
                    {
                        "type": "callout",
                        "value": {"kind": style, "title": title, "text": self.rich(text)},
                    }
                )
            elif kind == "quote":
                raw.append({"type": "quote", "value": {"text": args[0], "attribution": args[1]}})
            elif kind == "button":
                label, target = args
                value = {"label": label, "page": None, "url": ""}
                if target.startswith("page:"):
                    value["page"] = self.pages[target.removeprefix("page:")].pk
                else:
                    value["url"] = target
                raw.append({"type": "button", "value": value})
            elif kind == "image":
                key, caption = args
                image = self.image(key)
                raw.append(
                    {
                        "type": "image",
                        "value": {
                            "image": {
                                "image": image.pk,
                                "decorative": False,
                                "alt_text": image.description,
                            },
                            "caption": caption,
                        },
                    }
                )
            elif kind == "document":
                key, title = args
                raw.append(
                    {
                        "type": "document",
                        "value": {"document": self.document(key).pk, "title": title},
                    }
                )
            else:
                raise ValueError(f"Unknown block kind: {kind}")
        return raw

    def at(self, day, hour=9, minute=30):
        """An aware datetime in Europe/Rome."""
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ROME)

    # ------------------------------------------------------------------ pages

    def page(self, key, parent, model, slug, build, finish=None):
        """The child of ``parent`` with ``slug``; created unpublished from ``build()`` if missing.

        ``build`` returns the field values (``tags`` goes through the tag manager);
        ``finish``, if given, returns the fields that link to other pages (rich text,
        StreamField, related pages), set once the whole tree exists.
        """
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            page = existing.specific
        else:
            fields = build()
            tags = fields.pop("tags", [])
            page = model(slug=slug, locale=self.it, live=False, **fields)
            if tags:
                page.tags.add(*tags)
            parent.add_child(instance=page)
            self.new_pages.append(page)
            self.created["pages"] += 1
            if finish is not None:
                self.finishers.append((page, finish))
        self.pages[key] = page
        self.keys[page.pk] = key
        return page

    def home_page(self):
        root = Page.get_first_root_node() or Page.add_root(
            title="Root", slug="root", locale=self.it, live=True
        )
        home = HomePage.objects.filter(depth=2, locale=self.it).first()
        if home is None:
            # Wagtail's "Welcome to your new Wagtail site!" page also uses the slug "home".
            welcome = None
            for child in root.get_children().filter(slug="home"):
                if child.specific_class is Page and child.numchild == 0:
                    welcome = child
                else:
                    child.slug = f"{child.slug}-{child.pk}"
                    child.save()
            if welcome is not None:
                welcome.slug = "benvenuto-wagtail"
                welcome.save()
            data = content.HOME
            home = HomePage(
                title=data["title"],
                slug="home",
                locale=self.it,
                live=False,
                hero_title=data["hero_title"],
                hero_text=data["hero_text"],
                hero_image=self.image(data["hero_image"]),
                hero_cta_label=data["hero_cta_label"],
                academy_title=data["academy_title"],
                academy_text=data["academy_text"],
                academy_url=data["academy_url"],
                map_title=data["map_title"],
                map_text=data["map_text"],
                map_url=data["map_url"],
                seo_title=data["seo_title"],
                search_description=data["search_description"],
                first_published_at=self.launch,
            )
            root.add_child(instance=home)
            self.new_pages.append(home)
            self.created["pages"] += 1
            self.finishers.append(
                (
                    home,
                    lambda: {
                        "hero_cta_page": self.pages[data["hero_cta_page"]],
                        "body": self.stream(data["body"]),
                    },
                )
            )
            if welcome is not None:
                Site.objects.filter(root_page=welcome).update(root_page=home)
                welcome.delete()
        self.pages["home"] = home
        self.keys[home.pk] = "home"
        return home

    def default_site(self, home):
        site = (
            Site.objects.filter(is_default_site=True).first()
            or Site.objects.filter(hostname="localhost", port=80).first()
        )
        if site is None:
            site = Site(hostname="localhost", port=80)
        changed = site.pk is None
        if site.root_page_id != home.pk:
            site.root_page = home
            changed = True
        if not site.is_default_site:
            site.is_default_site = True
            changed = True
        if not site.site_name:
            site.site_name = content.SITE_NAME
            changed = True
        if changed:
            site.save()
        return site

    def build_tree(self, home):
        """Sections in menu order, each with its children, then the standard pages."""
        children = {
            "news": (content.NEWS, self.news_page),
            "communities": (content.COMMUNITIES, self.community_page),
            "kits": (content.KITS, self.kit_page),
            "webinars": (content.WEBINARS, self.webinar_page),
        }
        for spec in content.SECTIONS:
            section = self.section(home, spec)
            specs, builder = children.get(spec["key"], ([], None))
            for child_spec in specs:
                builder(section, child_spec)
        for spec in content.STANDARD_PAGES:
            self.standard_page(home, spec)
        # Now every page has an id: fill in the fields that link to other pages.
        for page, finish in self.finishers:
            for field, value in finish().items():
                setattr(page, field, value)
            page.save()

    def standard_page(self, parent, spec):
        return self.page(
            spec["key"],
            parent,
            StandardPage,
            spec["slug"],
            lambda: {
                "title": spec["title"],
                "summary": spec["summary"],
                "updated": self.today - timedelta(days=spec["updated_days_ago"]),
                "first_published_at": self.launch,
            },
            lambda: {"body": self.stream(spec["body"])},
        )

    def section(self, home, spec):
        model = SECTION_MODELS[spec["key"]]

        def finish():
            fields = {"intro": self.rich(spec["intro"])}
            if model is FAQIndexPage:
                fields["categories"] = [
                    {
                        "type": "category",
                        "value": {
                            "title": category["title"],
                            "questions": [
                                {"question": question, "answer": self.rich(answer)}
                                for question, answer in category["questions"]
                            ],
                        },
                    }
                    for category in content.FAQ_CATEGORIES
                ]
            return fields

        return self.page(
            spec["key"],
            home,
            model,
            spec["slug"],
            lambda: {
                "title": spec["title"],
                "summary": spec["summary"],
                "show_in_menus": True,
                "first_published_at": self.launch,
            },
            finish,
        )

    def news_page(self, parent, spec):
        day = self.today - timedelta(days=spec["days_ago"])
        return self.page(
            spec["slug"],
            parent,
            NewsPage,
            spec["slug"],
            lambda: {
                "title": spec["title"],
                "summary": spec["summary"],
                "date": day,
                "image": self.image(spec["image"]),
                "tags": spec["tags"],
                "first_published_at": self.at(day),
            },
            lambda: {"body": self.stream(spec["body"])},
        )

    def community_page(self, parent, spec):
        def build():
            timeline = [
                {
                    "type": "milestone",
                    "value": {
                        "title": milestone["title"],
                        "date": (self.today + timedelta(days=milestone["days"])).isoformat(),
                        "status": milestone["status"],
                        "description": milestone["description"],
                    },
                }
                for milestone in spec["timeline"]
            ]
            return {
                "title": spec["title"],
                "summary": spec["summary"],
                "theme": spec["theme"],
                "mission": spec["mission"],
                "objectives": spec["objectives"],
                "image": self.image(spec["image"]),
                "timeline": timeline,
                "first_published_at": self.at(self.today - timedelta(days=spec["days_ago"])),
            }

        community = self.page(
            spec["slug"],
            parent,
            CommunityPage,
            spec["slug"],
            build,
            lambda: {"body": self.stream(spec["body"])},
        )
        area_spec = demo_communities.AREAS.get(spec["slug"])
        if area_spec is not None:
            self.community_area(community, area_spec)
        return community

    # ------------------------------------------------------------------ reserved areas

    def published_for(self, days):
        """When a page dated ``days`` from today was published (never in the future)."""
        day = self.today + timedelta(days=days)
        if days > -3:
            day = self.today - timedelta(days=5)
        return self.at(day, 10, 0)

    def community_area(self, community, spec):
        """The reserved area of ``community``, its pages and its working groups.

        Their view restrictions and private collections come from ``communities.spaces``
        (signals on save), never from here.
        """
        area = self.page(
            spec["key"],
            community,
            CommunityAreaPage,
            spec["slug"],
            lambda: {
                "title": spec["title"],
                "summary": spec["summary"],
                "intro": spec["intro"],
                "first_published_at": self.at(community.first_published_at.date()),
            },
        )
        for page_spec in spec["pages"]:
            self.reserved_page(area, f"{spec['key']}/{page_spec['slug']}", page_spec)
        for group_spec in spec["working_groups"]:
            self.working_group_page(area, group_spec)
        return area

    def reserved_page(self, parent, key, spec):
        return self.page(
            key,
            parent,
            ReservedPage,
            spec["slug"],
            lambda: {
                "title": spec["title"],
                "summary": spec["summary"],
                "kind": spec["kind"],
                "date": self.today + timedelta(days=spec["days"]),
                "first_published_at": self.published_for(spec["days"]),
            },
            lambda: {"body": self.stream(spec["body"])},
        )

    def working_group_page(self, area, spec):
        group = self.page(
            spec["slug"],
            area,
            WorkingGroupPage,
            spec["slug"],
            lambda: {
                "title": spec["title"],
                "summary": spec["summary"],
                "goal": spec["goal"],
                "deliverable": spec["deliverable"],
                "start_date": self.today + timedelta(days=spec["start_days"]),
                "end_date": self.today + timedelta(days=spec["end_days"]),
                "status": spec["status"],
                "first_published_at": self.published_for(spec["start_days"]),
            },
            lambda: {"body": self.stream(spec["body"])},
        )
        for page_spec in spec["pages"]:
            self.reserved_page(group, f"{spec['slug']}/{page_spec['slug']}", page_spec)
        return group

    def private_collection(self, key):
        """The private collection of the community or working group page ``key``."""
        page = self.pages[key]
        if isinstance(page, WorkingGroupPage):
            return spaces.working_group_space(page).collection
        return spaces.community_space(page).collection

    def kit_page(self, parent, spec):
        return self.page(
            spec["slug"],
            parent,
            KitPage,
            spec["slug"],
            lambda: {
                "title": spec["title"],
                "summary": spec["summary"],
                "description": spec["description"],
                "thematic_area": spec["thematic_area"],
                "target_audience": spec["target_audience"],
                "documents": [
                    KitDocument(document=self.document(key), description=description)
                    for key, description in spec["documents"]
                ],
                "tags": spec["tags"],
                "first_published_at": self.at(self.today - timedelta(days=spec["days_ago"])),
            },
            lambda: {
                "body": self.stream(spec["body"]),
                "related_kits": [RelatedKit(kit=self.pages[slug]) for slug in spec["related"]],
            },
        )

    def webinar_page(self, parent, spec):
        def build():
            day = self.today + timedelta(days=spec["days_from_now"])
            # Webinars are held on weekdays: a weekend date moves to the following Tuesday.
            if day.weekday() >= 5:
                day += timedelta(days=8 - day.weekday())
            start = self.at(day, *spec["start"])
            end = self.at(day, *spec["end"])
            past = end < self.now
            return {
                "title": spec["title"],
                "summary": spec["summary"],
                "start": start,
                "end": end,
                "description": spec["description"],
                "speakers": [{"type": "speaker", "value": speaker} for speaker in spec["speakers"]],
                "registration_url": "" if past else spec.get("registration_url", ""),
                "recording_url": spec.get("recording_url", "") if past else "",
                "materials": [
                    WebinarMaterial(document=self.document(key), description=description)
                    for key, description in spec.get("materials", [])
                ],
                "tags": spec["tags"],
                # Announced three weeks before the session.
                "first_published_at": min(start - timedelta(days=21), self.now),
            }

        return self.page(spec["slug"], parent, WebinarPage, spec["slug"], build)

    def publish_new_pages(self):
        """Publish what this run created, parents first, each through a revision."""
        for page in sorted(self.new_pages, key=lambda p: p.path):
            page.save_revision().publish()

    def restrict_to_login(self):
        """Wagtail privacy "logged-in users only" on the LOGIN_ONLY pages and their translations.

        Run before translating (wagtail-localize copies restrictions to new translations) and
        after, for translations that already existed.
        """
        for key in content.LOGIN_ONLY:
            page = self.pages[key]
            for target in (page, page.get_translation_or_none(self.en)):
                if target is not None and not target.view_restrictions.exists():
                    PageViewRestriction.objects.create(
                        page=target, restriction_type=PageViewRestriction.LOGIN
                    )

    def portal_settings(self, site):
        settings = PortalSettings.for_site(site)
        values = {
            "rules_page": self.pages["rules"],
            "privacy_page": self.pages["privacy"],
            "accessibility_page": self.pages["accessibility"],
            "legal_page": self.pages["legal"],
            **content.PORTAL_SETTINGS,
        }
        changed = False
        for field, value in values.items():
            # Fill only what is empty: an editor's choice always wins.
            if not getattr(settings, field):
                setattr(settings, field, value)
                changed = True
        if changed:
            settings.save()

    # ------------------------------------------------------------------ English

    def translate_tree(self):
        """Translate every demo page into English with wagtail-localize, parents first.

        Strings listed in ``cms.demo.english`` are stored as translations of the source
        segments; everything else falls back to the Italian source.
        """
        pages = Page.objects.filter(pk__in=list(self.keys)).order_by("path")
        for page in pages:
            page = page.specific
            if page.get_translation_or_none(self.en) is not None:
                continue
            source, _created = TranslationSource.get_or_create_from_instance(page)
            self.add_english_strings(source, english.PAGES.get(self.keys[page.pk], {}))
            translation, _created = Translation.objects.get_or_create(
                source=source, target_locale=self.en
            )
            # Save a draft, then publish it here so that everything stays in this transaction
            # (publish=True would defer publishing to transaction.on_commit).
            translation.save_target(publish=False)
            target = page.get_translation(self.en)
            if page.first_published_at:
                Page.objects.filter(pk=target.pk).update(first_published_at=page.first_published_at)
            target.refresh_from_db()
            target.get_latest_revision().publish()
            self.created["translations"] += 1

    def add_english_strings(self, source, strings):
        """Store ``strings`` ({field: text or [texts in order]}) as manual translations."""
        if not strings:
            return
        segments = (
            StringSegment.objects.filter(source=source)
            .select_related("string", "context")
            .order_by("order")
        )
        by_field: dict[str, list] = {}
        for segment in segments:
            field = segment.context.path.split(".")[0]
            by_field.setdefault(field, []).append(segment)
        for field, text in strings.items():
            found = by_field.get(field, [])
            texts = [text] if isinstance(text, str) else list(text)
            if len(found) != len(texts):
                self.log(
                    f"  ! {source.object_repr}: {field} has {len(found)} segments, "
                    f"{len(texts)} English strings; left in Italian"
                )
                continue
            for segment, value in zip(found, texts, strict=True):
                StringTranslation.objects.get_or_create(
                    translation_of=segment.string,
                    locale=self.en,
                    context=segment.context,
                    defaults={
                        "data": value,
                        "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                        "tool_name": "load_demo",
                    },
                )

    # ------------------------------------------------------------------ members

    def members(self, site):
        """Portal accounts for the demo IdP's people (each with the role their identity
        stands for) and a few invented colleagues.

        Memberships go through ``communities.services`` (or the models, for the roles staff
        assign), so that groups and restrictions follow through the usual signals. A person or
        membership that already exists is left as it is: someone who left a community in the
        demo stays out of it.
        """
        versions = current_versions(site=site)
        people = []
        for identity in demo_identities.IDENTITIES:
            spec = demo_communities.IDENTITY_MEMBERS.get(identity.key)
            if spec is None:  # the newcomer stays unregistered
                continue
            person = {
                "fiscal_code": identity.fiscal_code,
                "name": identity.name,
                "family_name": identity.family_name,
                "email": identity.email,
                "phone": identity.mobile_phone,
            }
            people.append((self.member_user(person, spec, versions), spec))
        for spec in demo_communities.EXTRA_MEMBERS:
            person = {
                "fiscal_code": demo_identities.fiscal_code(
                    spec["family_name"],
                    spec["name"],
                    spec["birth"],
                    spec["sex"],
                    spec["place_code"],
                ),
                "name": spec["name"],
                "family_name": spec["family_name"],
                "email": spec["email"],
                "phone": "",
            }
            people.append((self.member_user(person, spec, versions), spec))

        # Coordinators and support teams first: they verify designations and invite people
        # into working groups.
        managers = {}
        for managers_pass in (True, False):
            for user, spec in people:
                for slug, role, options in spec["memberships"]:
                    if (role in Membership.MANAGER_ROLES) != managers_pass:
                        continue
                    community = self.pages[slug]
                    membership = self.community_membership(user, community, role, options, managers)
                    if role == Membership.Role.COORDINATOR and membership is not None:
                        managers[community.translation_key] = membership.user
        for user, spec in people:
            for slug, role in spec["working_groups"]:
                self.working_group_membership(user, self.pages[slug], role, managers)

    def ente(self, key):
        kind, name, istat_code, region, province, province_code = demo_communities.ENTI[key]
        values = {
            "kind": kind,
            "name": name,
            "region": region,
            "province": province,
            "province_code": province_code,
            "status": Ente.Status.APPROVED,
        }
        if istat_code:
            # As load_enti stores it; created here only when the registry was not loaded.
            ente, _created = Ente.objects.get_or_create(istat_code=istat_code, defaults=values)
            return ente
        ente = Ente.objects.filter(name=name, kind=kind, istat_code=None).first()
        return ente or Ente.objects.create(**values)

    def member_user(self, person, spec, versions):
        """The member keyed on ``person``'s fiscal code, registered (profile, consents)."""
        user_model = get_user_model()
        user = user_model.objects.filter(fiscal_number=person["fiscal_code"]).first()
        if user is not None and user.onboarded_at is not None:
            return user
        if user is None:
            # As membership.identity.sign_in creates members.
            user = user_model(
                fiscal_number=person["fiscal_code"],
                username=person["fiscal_code"],
                first_name=person["name"],
                last_name=person["family_name"],
                email=person["email"],
            )
            user.set_unusable_password()
            self.created["members"] += 1
        # A new member, or a demo identity that signed in before its role existed: complete
        # the registration as the onboarding form does.
        registered = self.now - timedelta(days=spec["registered_days_ago"])
        user.ente = self.ente(spec["ente"])
        user.office = spec["office"]
        user.position = spec["position"]
        user.contact_email = person["email"]
        user.phone = person["phone"]
        user.show_in_directory = spec.get("show_in_directory", True)
        user.onboarded_at = registered
        user.date_joined = min(user.date_joined, registered)
        user.save()
        for kind in (Consent.Kind.RULES, Consent.Kind.PRIVACY):
            Consent.objects.get_or_create(
                user=user,
                kind=kind,
                version=versions.for_kind(kind),
                defaults={"accepted_at": registered},
            )
        return user

    def community_membership(self, user, community, role, options, managers):
        """``user``'s membership of ``community`` with ``role``, unless they ever had one."""
        existing = Membership.objects.filter(
            user=user, community__translation_key=community.translation_key
        )
        if existing.exists():
            return existing.filter(left_at__isnull=True).first()
        joined = self.now - timedelta(days=options.get("days_ago", 30))
        if role in Membership.MANAGER_ROLES:
            # Assigned by staff in the admin: the model's signals sync the groups.
            membership = Membership.objects.create(
                user=user,
                community=community,
                role=role,
                support_kind=options.get("support_kind", ""),
                joined_at=joined,
            )
        else:
            designation = options.get("designation") or {}
            act_date = None
            if role == Membership.Role.DESIGNATED:
                act_date = self.today - timedelta(days=designation["act_days_ago"])
            membership = community_services.join(
                user,
                community,
                role,
                signed_by=designation.get("signed_by", ""),
                act_date=act_date,
            )
            Membership.objects.filter(pk=membership.pk).update(joined_at=joined)
            Designation.objects.filter(membership=membership).update(declared_at=joined)
            coordinator = managers.get(community.translation_key)
            if designation.get("verified") and coordinator is not None:
                # The coordinator checked the declaration a couple of days later.
                access_forget(coordinator)
                community_services.verify_designation(coordinator, membership.designation)
                Designation.objects.filter(membership=membership).update(
                    verified_at=joined + timedelta(days=2)
                )
        self.created["memberships"] += 1
        return membership

    def working_group_membership(self, user, group, role, managers):
        """Invited by the community's coordinator, accepted; a coordinator is then named."""
        if WorkingGroupMembership.objects.filter(
            user=user, group__translation_key=group.translation_key
        ).exists():
            return
        community = spaces.community_for_page(group)
        coordinator = managers.get(community.translation_key)
        if coordinator is None:
            return
        for person in (coordinator, user):
            access_forget(person)
        community_services.invite(coordinator, user, group)
        community_services.answer_invitation(user, group, accept=True)
        if role == WorkingGroupMembership.Role.COORDINATOR:
            access_forget(coordinator)
            community_services.set_group_coordinator(coordinator, user, group)
        self.created["memberships"] += 1

    # ------------------------------------------------------------------ admin

    def admin_user(self):
        user_model = get_user_model()
        if user_model.objects.filter(username=ADMIN_USERNAME).exists():
            return False
        user_model.objects.create_superuser(ADMIN_USERNAME, ADMIN_EMAIL, ADMIN_PASSWORD)
        return True


class Command(BaseCommand):
    help = "Load the demo content (Italian pages, English translation, images, PDF kits)."

    def handle(self, *args, **options):
        started = time.monotonic()

        def log(message):
            self.stdout.write(message)

        chatty = CHATTY_LOGGERS if options["verbosity"] < 2 else ()
        with quiet_loggers(chatty), transaction.atomic():
            builder = DemoBuilder(log)
            site, admin_created = builder.run()

        home = site.root_page
        italian = Page.objects.descendant_of(home, inclusive=True).filter(locale=builder.it)
        english_pages = Page.objects.filter(locale=builder.en, depth__gte=2)
        created = builder.created
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo pronta: {italian.live().count()} pagine in italiano, "
                f"{english_pages.live().count()} in inglese "
                f"({created['pages']} pagine, {created['translations']} traduzioni, "
                f"{created['images']} immagini, {created['documents']} documenti, "
                f"{created['members']} iscritti e {created['memberships']} adesioni creati "
                f"ora) in {time.monotonic() - started:.1f} s."
            )
        )
        self.stdout.write(
            f"Sito predefinito «{site.site_name}»: home italiana /, inglese /en/, "
            "amministrazione /admin/"
        )
        if admin_created is None:
            self.stdout.write(self.style.WARNING(REFUSED_ADMIN))
            existing = get_user_model().objects.filter(username=ADMIN_USERNAME).first()
            if existing is not None and existing.check_password(ADMIN_PASSWORD):
                self.stderr.write(self.style.ERROR(PUBLIC_PASSWORD_IN_USE))
            return
        state = "creato ora" if admin_created else "già presente, password non modificata"
        self.stdout.write(
            f"Account di amministrazione: utente {ADMIN_USERNAME}, "
            f"password {ADMIN_PASSWORD} ({state})"
        )

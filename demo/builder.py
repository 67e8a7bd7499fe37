"""The demo loader behind ``manage.py load_demo``: the portal's demo content, in Italian with
an English tree.

Idempotent: every object is looked up first (pages by slug under their parent, images and
documents by title in their collection, translations by locale) and created only when missing.
Existing objects are never changed, so a second run, or a run on a database an editor has
worked on, changes nothing. The content itself is data in ``demo/data`` (``demo.content``).

The demo members (``demo.people``, ``demo/data/people.toml``) follow the same rule: people are
looked up by fiscal code, memberships by person and community, and only what is missing is
created.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page

from mailing import services as mailing_services

from . import discussions
from .academy import load_academy
from .content import load
from .events import load_events
from .images import banner
from .mappa import load_mappa
from .materials import load_materials
from .pages import PageTreeMixin
from .pdf import build_document, build_slides
from .people import PeopleMixin
from .surveys import load_surveys
from .translation import TranslationMixin

ROME = ZoneInfo("Europe/Rome")

# The portal "opened" this many days before the demo is loaded: the first publication date of
# the home page and the section pages.
LAUNCH_DAYS_AGO = 130

PAGE_LINK = re.compile(r'<a page="([\w-]+)">')


class DemoBuilder(PageTreeMixin, TranslationMixin, PeopleMixin):
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
        collections = load("site")
        self.image_collection = self.collection(collections["image_collection"])
        self.kit_collection = self.collection(collections["kit_collection"])
        self.webinar_collection = self.collection(collections["webinar_collection"])

        home = self.home_page()
        site = self.default_site(home)
        self.build_tree(home)
        self.publish_new_pages()
        self.restrict_to_login()
        self.portal_settings(site)
        self.translate_tree()
        self.restrict_to_login()
        self.members(site)
        discussions.load(self.log)  # demo topics and replies
        self.created["events"] = load_events(self)  # events with registrations
        # The mailing list: demo members joined without the services' signals.
        mailing_services.subscribe_current_members()
        # Questionnaires: responses to the portal survey, the community's closed consultation.
        self.created["survey responses"] = load_surveys(self)
        # Materials: licences, a published output of a working group, a validation in progress.
        self.created["materials"] = load_materials(self)
        # The Mappa's campaigns, its deadline extension, synthetic responses of the Comuni.
        self.created["mappa responses"] = load_mappa(self)
        # The Accademia's editions, enrolments (a waiting list), completions and Open Badges.
        self.created["academy enrolments"] = load_academy(self)
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
        """The Wagtail image for ``key`` in ``images.toml``, drawn only if missing."""
        if key in self._images:
            return self._images[key]
        spec = load("images")[key]
        model = get_image_model()
        image = model.objects.filter(title=spec["title"], collection=self.image_collection).first()
        if image is None:
            data = banner(
                spec["caption"],
                kicker=spec.get("kicker", ""),
                palette=spec.get("palette", "blue"),
                motif=spec.get("motif", "network"),
                size=tuple(spec.get("size", (1600, 900))),
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
        if key in load("kit_documents"):
            spec, build, collection = (
                load("kit_documents")[key],
                build_document,
                self.kit_collection,
            )
        elif key in load("private_documents"):
            spec = load("private_documents")[key]
            build, collection = build_document, self.private_collection(spec["space"])
        else:
            spec, build, collection = (
                load("webinar_slides")[key],
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
        """Raw StreamField data from the compact block lists of ``demo/data`` (README.md)."""
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

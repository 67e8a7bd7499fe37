"""The demo's page tree: the home page, the sections and their pages, the reserved areas of
the communities with their working groups, and the standard pages, from ``demo/data``.

A page is looked up by slug under its parent and created (unpublished, then published through
a revision) only when missing: an existing page is never changed.
"""

from __future__ import annotations

from datetime import timedelta

from wagtail.models import Page, PageViewRestriction, Site

from cms.models import (
    HomePage,
    NewsIndexPage,
    NewsPage,
    PortalSettings,
    ResourcesPage,
    StandardPage,
)
from communities import spaces
from communities.models import (
    CommunityAreaPage,
    CommunityIndexPage,
    CommunityPage,
    ReservedPage,
    WorkingGroupPage,
)
from faq.models import FAQIndexPage
from kits.models import KitDocument, KitIndexPage, KitPage, RelatedKit
from surveys.models import SurveyIndexPage
from webinars.models import WebinarIndexPage, WebinarMaterial, WebinarPage

from .academy import academy_pages
from .content import load
from .mappa import mappa_pages
from .surveys import portal_survey_page

SECTION_MODELS = {
    "news": NewsIndexPage,
    "communities": CommunityIndexPage,
    "kits": KitIndexPage,
    "webinars": WebinarIndexPage,
    "resources": ResourcesPage,
    "faq": FAQIndexPage,
    "surveys": SurveyIndexPage,
}


class PageTreeMixin:
    """The pages of ``demo.builder.DemoBuilder``."""

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
            data = load("site")["home"]
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
            site.site_name = load("site")["site_name"]
            changed = True
        if changed:
            site.save()
        return site

    def build_tree(self, home):
        """Sections in menu order, each with its children, then the standard pages."""
        children = {
            "news": (load("news")["news"], self.news_page),
            "communities": (load("communities")["communities"], self.community_page),
            "kits": (load("kits")["kits"], self.kit_page),
            "webinars": (load("webinars")["webinars"], self.webinar_page),
            "surveys": (
                load("surveys")["portal"],
                lambda section, spec: portal_survey_page(self, section, spec),
            ),
        }
        for spec in load("sections")["sections"]:
            section = self.section(home, spec)
            specs, builder = children.get(spec["key"], ([], None))
            for child_spec in specs:
                builder(section, child_spec)
        for spec in load("standard_pages")["pages"]:
            self.standard_page(home, spec)
        # The Mappa dei Comuni Digitali and its campaigns' questionnaires.
        mappa_pages(self, home)
        # The Accademia dei Comuni Digitali and its courses.
        academy_pages(self, home)
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
                    for category in load("faq")["categories"]
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
        area_spec = load("areas").get(spec["slug"])
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
        for key in load("site")["login_only"]:
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
            **load("site")["portal_settings"],
        }
        changed = False
        for field, value in values.items():
            # Fill only what is empty: an editor's choice always wins.
            if not getattr(settings, field):
                setattr(settings, field, value)
                changed = True
        if changed:
            settings.save()

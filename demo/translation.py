"""The demo's English tree: every demo page translated with wagtail-localize, with the
English strings of ``demo/data/english.toml``."""

from __future__ import annotations

from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from .content import load


class TranslationMixin:
    """The English translations of ``demo.builder.DemoBuilder``."""

    def translate_tree(self):
        """Translate every demo page into English with wagtail-localize, parents first.

        Strings listed in ``demo/data/english.toml`` are stored as translations of the source
        segments; everything else falls back to the Italian source.
        """
        pages = Page.objects.filter(pk__in=list(self.keys)).order_by("path")
        for page in pages:
            page = page.specific
            if page.get_translation_or_none(self.en) is not None:
                continue
            source, _created = TranslationSource.get_or_create_from_instance(page)
            self.add_english_strings(source, load("english").get(self.keys[page.pk], {}))
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

"""``manage.py load_demo``: the portal's demo content, in Italian with an English tree.

Idempotent (run it again at will): see ``demo.builder``. The content is data in ``demo/data``.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page

from demo.builder import DemoBuilder
from demo.people import ADMIN_PASSWORD, ADMIN_USERNAME

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
                f"{created['members']} iscritti, {created['memberships']} adesioni e "
                f"{created.get('events', 0)} eventi creati "
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

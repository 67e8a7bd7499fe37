"""Demo discussions for ``manage.py load_demo``: a few topics in the Cybersicurezza community
and in its incident-response working group, with threaded replies by the demo members.

Idempotent: a topic is looked up by its space and title; an existing one is left as it is. Rows
are written directly (with dates in the past), not through ``services``: no rate limits, no
notifications for demo content.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils import timezone

from . import markdown
from .models import Reaction, Reply, Topic, TopicRead
from .services import set_tags

CYBER = "cybersicurezza"
INCIDENT_GROUP = "piano-di-risposta-agli-incidenti"

#: (space, author key, days ago, title, body, tags, pinned, locked, replies)
#: replies: (author key, hours after the topic, text, [child replies: (author, hours, text, [..])])
TOPICS = [
    (
        "community",
        "coordinatore",
        20,
        "Benvenuti nelle discussioni della comunità",
        "Questo è lo spazio per confrontarsi tra Comuni sulla **sicurezza informatica**.\n\n"
        "* presentatevi in una risposta;\n* cercate prima tra gli argomenti esistenti;\n"
        "* niente dati personali né informazioni riservate sugli incidenti.",
        ["regole"],
        True,
        False,
        [
            (
                "partecipante",
                3,
                "Buongiorno a tutti, sono della Segreteria generale di "
                "Monteverde. Grazie per lo spazio!",
                [],
            ),
            (
                "designato",
                5,
                "Ciao! Castelnuovo presente, RTD.",
                [
                    ("supporto", 6, "Benvenuti! Per qualsiasi dubbio sul portale scriveteci.", []),
                ],
            ),
        ],
    ),
    (
        "community",
        "designato",
        9,
        "Backup dei dati: come applicate la regola 3-2-1?",
        "Stiamo rivedendo la politica di backup dopo le [misure minime AgID]"
        "(https://www.agid.gov.it/it/sicurezza/misure-minime-sicurezza-ict). "
        "Come gestite la **copia fuori sede**? Cloud qualificato o nastri?",
        ["backup", "continuità operativa"],
        False,
        False,
        [
            (
                "membro-gdl",
                2,
                "Noi usiamo un servizio cloud qualificato ACN con copie immutabili per 30 giorni.",
                [
                    (
                        "partecipante",
                        4,
                        "> copie immutabili per 30 giorni\n\n"
                        "Avete avuto problemi con i tempi di ripristino?",
                        [
                            (
                                "membro-gdl",
                                5,
                                "Per i file pochi minuti; per il gestionale "
                                "demografico circa 3 ore.",
                                [],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "coordinatore",
                20,
                "Ottimo tema: lo riprendiamo nel webinar del mese "
                "prossimo. Chi vuole presentare la propria esperienza?",
                [],
            ),
        ],
    ),
    (
        "community",
        "supporto",
        4,
        "Phishing: materiali per la formazione del personale",
        "Raccogliamo qui materiali **liberi** per le campagne di sensibilizzazione.",
        ["formazione", "phishing"],
        False,
        False,
        [
            (
                "designato",
                1,
                "Abbiamo fatto una simulazione interna: il 18% ha cliccato "
                "sul link. Posso condividere il questionario.",
                [],
            ),
        ],
    ),
    (
        "group",
        "coordinatore-gdl",
        7,
        "Bozza della procedura di notifica degli incidenti",
        "Ho caricato la prima bozza. Commenti sulla **sezione 3** (tempi di notifica "
        "al CSIRT Italia), per favore.",
        ["procedura", "CSIRT"],
        False,
        False,
        [
            (
                "membro-gdl",
                6,
                "Nella sezione 3 proporrei di esplicitare le 24 ore per la prima notifica.",
                [
                    ("coordinatore-gdl", 8, "D'accordo, lo aggiungo nella prossima versione.", []),
                ],
            ),
        ],
    ),
]


def _users():
    """Demo users by identity key (the demo IdP's people)."""
    from demo_idp.identities import IDENTITIES

    by_fiscal = {i.fiscal_code: i.key for i in IDENTITIES}
    users = get_user_model().objects.filter(fiscal_number__in=list(by_fiscal))
    return {by_fiscal[u.fiscal_number]: u for u in users}


def _add_replies(topic, start, parent, items, users, content_type):
    for who, hours, text, children in items:
        user = users.get(who)
        reply = Reply(
            content_type=content_type,
            object_pk=str(topic.pk),
            site_id=settings.SITE_ID,
            user=user,
            user_name=user.get_full_name() if user else "",
            user_email=user.email if user else "",
            comment=text,
            body_html=markdown.render(text),
            submit_date=start + timedelta(hours=hours),
            parent_id=parent.pk if parent else 0,
            topic=topic,
            space_id=topic.space_id,
        )
        reply.save()
        _add_replies(topic, start, reply, children, users, content_type)


def load(log=None) -> int:
    """Create the demo topics that are missing; returns how many were created."""
    from wagtail.models import Locale

    from communities.models import CommunityPage, WorkingGroupPage

    italian = Locale.get_default()
    community = CommunityPage.objects.filter(slug=CYBER, locale=italian).first()
    group = WorkingGroupPage.objects.filter(slug=INCIDENT_GROUP, locale=italian).first()
    users = _users()
    if community is None or not users:
        return 0
    spaces = {"community": community, "group": group}
    content_type = ContentType.objects.get_for_model(Topic)
    now = timezone.now()
    created = 0
    for space_key, author, days, title, body, tags, pinned, locked, replies in TOPICS:
        space = spaces.get(space_key)
        if space is None or Topic.objects.filter(space=space, title=title).exists():
            continue
        start = now - timedelta(days=days)
        topic = Topic.objects.create(
            space=space,
            community=community,
            title=title,
            body=body,
            body_html=markdown.render(body),
            author=users.get(author),
            created_at=start,
            last_activity_at=start,
            pinned=pinned,
            locked=locked,
        )
        set_tags(topic, tags)
        created += 1

        _add_replies(topic, start, None, replies, users, content_type)
        stats = Reply.objects.filter(topic=topic).aggregate(last=Max("submit_date"))
        last = Reply.objects.filter(topic=topic).order_by("-submit_date").first()
        Topic.objects.filter(pk=topic.pk).update(
            reply_count=Reply.objects.filter(topic=topic).count(),
            last_activity_at=stats["last"] or start,
            last_reply_author=last.user if last else None,
        )
        if topic.author:
            TopicRead.objects.get_or_create(
                user=topic.author, topic=topic, defaults={"read_at": start}
            )
        first = Reply.objects.filter(topic=topic, level=0).first()
        if first and users.get("coordinatore") and first.user != users["coordinatore"]:
            Reaction.objects.get_or_create(reply=first, user=users["coordinatore"], kind="thanks")
    if log and created:
        log(f"Discussioni: {created} argomenti di esempio")
    return created

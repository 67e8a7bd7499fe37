"""Demo data of the communities of practice: the reserved area of each community with its
pages, the working groups, the private documents, and the demo members.

The members are the people of the demo identity provider (``demo_idp.identities``), each given
the role their identity stands for, plus a few invented colleagues so that directories and
working groups are not empty. The newcomer of the demo IdP gets no account: signing in as her
shows the first-access registration.

Pages use the compact StreamField tuples of ``cms.demo.content``; a ``document`` block names a
key of ``PRIVATE_DOCUMENTS``, stored in the private collection of the page given by ``space``
(a community or a working group), so that only its members can download it.
"""

from __future__ import annotations

import datetime

# ---------------------------------------------------------------------------------------------
# Reserved areas, their pages and the working groups (keyed on the community's slug)
# ---------------------------------------------------------------------------------------------

INCIDENT_GROUP = "piano-di-risposta-agli-incidenti"

AREAS = {
    "cybersicurezza": {
        "key": "area-cybersicurezza",
        "slug": "area-riservata",
        "title": "Area riservata",
        "summary": "Lo spazio dei partecipanti alla Comunità Cybersicurezza: comunicazioni del "
        "coordinamento, materiali di lavoro e appuntamenti.",
        "intro": "<p>Qui trovi quello che la Comunità condivide solo con chi ha aderito: le "
        "comunicazioni del coordinamento, i materiali degli incontri e il calendario dei "
        "prossimi appuntamenti. Le bozze dei gruppi di lavoro restano negli spazi dei "
        "singoli gruppi fino alla validazione.</p>",
        "pages": [
            {
                "slug": "candidature-esperti-di-dominio",
                "title": "Cerchiamo esperti di dominio per il team di supporto",
                "kind": "announcement",
                "days": -12,
                "summary": "Chi ha esperienza diretta di gestione della sicurezza in un ente "
                "può proporsi entro fine mese.",
                "body": [
                    (
                        "p",
                        "<p>Il team di supporto della Comunità si completa con alcuni esperti "
                        "di dominio scelti tra i partecipanti. Non serve essere tecnici: "
                        "contano l'esperienza sul campo e la disponibilità a rileggere le bozze "
                        "dei gruppi di lavoro con l'occhio di chi lavora in un Comune.</p>",
                    ),
                    ("h2", "Come proporsi"),
                    (
                        "p",
                        "<ul><li>Scrivi alla coordinatrice indicando il tuo Ente e i temi su "
                        "cui hai lavorato (backup, gestione degli accessi, incidenti, "
                        "contratti con i fornitori…).</li><li>Indica quante ore al mese puoi "
                        "dedicare: ne bastano quattro o cinque.</li><li>Le proposte vengono "
                        "valutate con il team di supporto e comunicate a tutti i "
                        "partecipanti.</li></ul>",
                    ),
                ],
            },
            {
                "slug": "materiali-incontro-di-avvio",
                "title": "Materiali dell'incontro generale di avvio",
                "kind": "material",
                "days": -63,
                "summary": "Il verbale dell'incontro online con le proposte raccolte e i "
                "gruppi di lavoro costituiti.",
                "body": [
                    (
                        "p",
                        "<p>All'incontro di avvio hanno partecipato referenti di Comuni di "
                        "ogni dimensione. Nel verbale trovi le proposte emerse, le priorità "
                        "votate dai partecipanti e la composizione dei tre gruppi di "
                        "lavoro.</p>",
                    ),
                    ("document", "verbale-avvio-cyber", "Verbale dell'incontro di avvio (PDF)"),
                    (
                        "callout",
                        "note",
                        "Documento riservato",
                        "<p>Il verbale riporta le situazioni concrete descritte dagli enti: "
                        "non inoltrarlo fuori dalla Comunità.</p>",
                    ),
                ],
            },
            {
                "slug": "incontro-validazione-prime-bozze",
                "title": "Incontro di validazione delle prime bozze",
                "kind": "event",
                "days": 45,
                "summary": "Incontro online aperto a tutti i partecipanti per discutere e "
                "validare le bozze prodotte dai gruppi di lavoro.",
                "body": [
                    (
                        "p",
                        "<p>I gruppi di lavoro presentano le loro bozze: la checklist delle "
                        "misure minime, il modello di piano di risposta agli incidenti e le "
                        "clausole per i contratti ICT. Ogni partecipante può commentarle "
                        "prima dell'incontro e votarne la validazione durante la "
                        "sessione.</p>",
                    ),
                    ("h2", "Programma"),
                    (
                        "p",
                        "<ol><li>Presentazione delle bozze da parte dei coordinatori dei "
                        "gruppi (30 minuti).</li><li>Domande e osservazioni dei partecipanti "
                        "(45 minuti).</li><li>Validazione e prossimi passi (15 minuti)."
                        "</li></ol><p>Il collegamento arriva per posta elettronica a chi ha "
                        "aderito alla Comunità, una settimana prima dell'incontro.</p>",
                    ),
                ],
            },
        ],
        "working_groups": [
            {
                "slug": INCIDENT_GROUP,
                "title": "Piano di risposta agli incidenti",
                "summary": "Un modello di procedura per riconoscere, gestire e comunicare un "
                "incidente informatico, pensato per i Comuni senza un ufficio dedicato.",
                "goal": "<p>Scrivere una procedura che un Comune possa adottare così com'è o "
                "adattare: chi fa cosa nelle prime ore di un incidente, come isolare i "
                "sistemi colpiti, quando e come fare le comunicazioni obbligatorie e come "
                "ripartire dai backup.</p>",
                "deliverable": "Modello di piano di risposta agli incidenti con schede "
                "operative, modelli di comunicazione e una simulazione da svolgere in "
                "mezza giornata.",
                "start_days": -40,
                "end_days": 75,
                "status": "active",
                "body": [
                    ("h2", "Come lavora il gruppo"),
                    (
                        "p",
                        "<p>Il gruppo si incontra online ogni due settimane. Tra un incontro e "
                        "l'altro ciascun membro rivede una sezione della bozza e la confronta "
                        "con quello che accade davvero nel proprio Ente.</p>",
                    ),
                ],
                "pages": [
                    {
                        "slug": "bozza-piano-risposta-v03",
                        "title": "Bozza del piano di risposta, versione 0.3",
                        "kind": "material",
                        "days": -6,
                        "summary": "La bozza su cui lavorare prima del prossimo incontro del "
                        "gruppo.",
                        "body": [
                            (
                                "p",
                                "<p>Rispetto alla versione precedente sono state aggiunte le "
                                "schede per il furto di credenziali e per il blocco dei "
                                "servizi online. Segnalate nella discussione del gruppo i "
                                "passaggi che nel vostro Ente non funzionerebbero.</p>",
                            ),
                            (
                                "document",
                                "bozza-piano-incidenti",
                                "Bozza del piano di risposta agli incidenti (PDF)",
                            ),
                        ],
                    }
                ],
            },
            {
                "slug": "misure-minime-piccoli-comuni",
                "title": "Misure minime per i piccoli Comuni",
                "summary": "Una checklist dei controlli essenziali, verificabile anche senza "
                "competenze specialistiche.",
                "goal": "<p>Aggiornare la checklist delle misure minime di sicurezza con le "
                "osservazioni dei Comuni che l'hanno già usata e prepararne una versione "
                "breve per i Comuni sotto i 5.000 abitanti.</p>",
                "deliverable": "Checklist aggiornata con una versione breve e una guida alla "
                "compilazione insieme al fornitore.",
                "start_days": -40,
                "end_days": 45,
                "status": "active",
                "body": [],
                "pages": [],
            },
            {
                "slug": "clausole-sicurezza-contratti-ict",
                "title": "Clausole di sicurezza nei contratti ICT",
                "summary": "Clausole tipo da inserire negli affidamenti di servizi informatici.",
                "goal": "<p>Raccogliere e confrontare le clausole di sicurezza usate dai "
                "Comuni nei contratti con i fornitori e proporne un insieme comune.</p>",
                "deliverable": "Raccolta commentata di clausole tipo per i capitolati dei "
                "servizi ICT.",
                "start_days": 20,
                "end_days": 140,
                "status": "planned",
                "body": [],
                "pages": [],
            },
        ],
    },
    "servizi-digitali-e-interoperabilita": {
        "key": "area-servizi-digitali",
        "slug": "area-riservata",
        "title": "Area riservata",
        "summary": "Lo spazio dei partecipanti alla Comunità Servizi digitali e interoperabilità.",
        "intro": "<p>La Comunità è appena partita: in quest'area trovi le indicazioni per "
        "preparare l'incontro di avvio e, dopo l'incontro, il piano di lavoro condiviso.</p>",
        "pages": [
            {
                "slug": "prepararsi-incontro-di-avvio",
                "title": "Come prepararsi all'incontro di avvio",
                "kind": "announcement",
                "days": -8,
                "summary": "Tre domande su cui riflettere con i colleghi prima di collegarsi.",
                "body": [
                    (
                        "p",
                        "<p>Per rendere utile l'incontro chiediamo a ogni partecipante di "
                        "arrivare con qualche risposta, anche breve:</p><ul><li>quali servizi "
                        "online del tuo Comune sono i più usati e quali i più "
                        "problematici?</li><li>avete già pubblicato o usato servizi sulla "
                        "PDND?</li><li>su quale tema ti piacerebbe lavorare in un gruppo di "
                        "lavoro?</li></ul>",
                    ),
                ],
            },
            {
                "slug": "incontro-generale-di-avvio",
                "title": "Incontro generale di avvio",
                "kind": "event",
                "days": 12,
                "summary": "Incontro online per definire insieme obiettivi e gruppi di "
                "lavoro della Comunità.",
                "body": [
                    (
                        "p",
                        "<p>Il coordinamento presenta la proposta di piano di lavoro, "
                        "raccoglie le priorità dei partecipanti e apre le adesioni ai primi "
                        "gruppi di lavoro. L'incontro dura un'ora e mezza e viene "
                        "registrato per chi non può collegarsi.</p>",
                    ),
                ],
            },
        ],
        "working_groups": [],
    },
}

# ---------------------------------------------------------------------------------------------
# Private documents (build_document specs); ``space`` is the page key whose private
# collection holds the file: a community's slug or a working group's slug.
# ---------------------------------------------------------------------------------------------

PRIVATE_SERIES = "Comunità di pratica Cybersicurezza - documento riservato"

PRIVATE_DOCUMENTS = {
    "verbale-avvio-cyber": {
        "space": "cybersicurezza",
        "title": "Verbale dell'incontro generale di avvio - Cybersicurezza",
        "short_title": "Verbale dell'incontro di avvio",
        "filename": "verbale-incontro-avvio-cybersicurezza",
        "series": PRIVATE_SERIES,
        "subtitle": "Proposte dei partecipanti, priorità e gruppi di lavoro",
        "audience": "Partecipanti alla Comunità di pratica Cybersicurezza. Documento "
        "riservato: non diffondere fuori dalla Comunità.",
        "version": "Redatto dal coordinamento della Comunità",
        "sections": [
            {
                "heading": "Partecipazione",
                "blocks": [
                    (
                        "p",
                        "All'incontro, svolto online, si sono collegati referenti di Comuni, "
                        "Unioni e Città metropolitane. Circa metà dei presenti lavora in enti "
                        "con meno di 15.000 abitanti, spesso senza personale informatico "
                        "interno.",
                    ),
                ],
            },
            {
                "heading": "Priorità votate",
                "blocks": [
                    (
                        "ol",
                        [
                            "Sapere cosa fare nelle prime ore di un incidente.",
                            "Verificare le misure minime con il fornitore dei sistemi.",
                            "Scrivere contratti ICT che tutelino davvero l'ente.",
                            "Formare il personale a riconoscere i tentativi di frode.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Gruppi di lavoro costituiti",
                "blocks": [
                    (
                        "table",
                        [
                            ["Gruppo", "Obiettivo", "Avvio"],
                            ["Piano di risposta agli incidenti", "Procedura tipo", "Subito"],
                            ["Misure minime per i piccoli Comuni", "Checklist", "Subito"],
                            ["Clausole di sicurezza nei contratti ICT", "Clausole tipo", "Dopo"],
                        ],
                    ),
                    (
                        "note",
                        "I partecipanti designati possono chiedere di entrare in un gruppo "
                        "dalla pagina del gruppo nell'area riservata.",
                    ),
                ],
            },
        ],
    },
    "bozza-piano-incidenti": {
        "space": INCIDENT_GROUP,
        "title": "Piano di risposta agli incidenti - bozza 0.3",
        "short_title": "Piano di risposta - bozza",
        "filename": "bozza-piano-risposta-incidenti-v03",
        "series": "Gruppo di lavoro Piano di risposta agli incidenti - bozza riservata",
        "subtitle": "Bozza di lavoro del gruppo, non validata",
        "audience": "Membri del gruppo di lavoro, coordinamento e team di supporto della Comunità.",
        "version": "Bozza 0.3 - non diffondere",
        "sections": [
            {
                "heading": "Le prime ore",
                "blocks": [
                    (
                        "checklist",
                        [
                            "Chi nota l'anomalia avvisa subito il referente indicato nel piano.",
                            "Il referente scollega dalla rete le postazioni coinvolte.",
                            "Si annotano ora, sintomi e sistemi coinvolti.",
                            "Si contatta il fornitore con il numero riportato nel piano.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Comunicazioni",
                "blocks": [
                    (
                        "p",
                        "Questa sezione elencherà le comunicazioni obbligatorie, i termini e "
                        "i modelli da usare. In attesa del confronto con il team di supporto.",
                    ),
                ],
            },
        ],
    },
}

# ---------------------------------------------------------------------------------------------
# Authorities of the demo members: real comuni (matched on their ISTAT code, as load_enti
# stores them) and two bodies outside the ISTAT list (matched on name and kind).
# ---------------------------------------------------------------------------------------------

ENTI = {
    "valverde": ("comune", "Valverde", "087052", "Sicilia", "Catania", "CT"),
    "monteverde": ("comune", "Monteverde", "064060", "Campania", "Avellino", "AV"),
    "castelnuovo": ("comune", "Castelnuovo di Porto", "058024", "Lazio", "Roma", "RM"),
    "fiorano": ("comune", "Fiorano Modenese", "036013", "Emilia-Romagna", "Modena", "MO"),
    "riofreddo": ("comune", "Riofreddo", "058083", "Lazio", "Roma", "RM"),
    "cm-palermo": (
        "citta_metropolitana",
        "Città metropolitana di Palermo",
        "282",
        "Sicilia",
        "Palermo",
        "PA",
    ),
    "pietrasanta": ("comune", "Pietrasanta", "046024", "Toscana", "Lucca", "LU"),
    "ostuni": ("comune", "Ostuni", "074012", "Puglia", "Brindisi", "BR"),
    "melfi": ("comune", "Melfi", "076048", "Basilicata", "Potenza", "PZ"),
    "colleferro": ("comune", "Colleferro", "058034", "Lazio", "Roma", "RM"),
    "bologna": ("comune", "Bologna", "037006", "Emilia-Romagna", "Bologna", "BO"),
    "anci": ("altro", "ANCI - Associazione Nazionale Comuni Italiani", None, "", "", ""),
    "centro-nazionale": (
        "altro",
        "Centro nazionale di competenza per la sicurezza degli enti locali (demo)",
        None,
        "",
        "",
        "",
    ),
}

# ---------------------------------------------------------------------------------------------
# Members. ``memberships``: (community slug, role, options); options may hold
# ``support_kind``, ``designation`` ({"signed_by", "act_days_ago", "verified"}) and
# ``days_ago`` (when they joined). ``working_groups``: (group slug, "member" | "coordinator").
# ---------------------------------------------------------------------------------------------

CYBER = "cybersicurezza"
SERVICES = "servizi-digitali-e-interoperabilita"


def _designated(signed_by="rtd", act_days_ago=100, verified=True, days_ago=88):
    return {
        "designation": {
            "signed_by": signed_by,
            "act_days_ago": act_days_ago,
            "verified": verified,
        },
        "days_ago": days_ago,
    }


# The demo IdP's people, by identity key; the newcomer ("nuovo") is deliberately absent.
IDENTITY_MEMBERS = {
    "iscritto": {
        "ente": "valverde",
        "office": "Ufficio servizi demografici",
        "position": "employee",
        "registered_days_ago": 30,
        "memberships": [],
        "working_groups": [],
    },
    "partecipante": {
        "ente": "monteverde",
        "office": "Segreteria generale",
        "position": "employee",
        "registered_days_ago": 92,
        "memberships": [(CYBER, "participant", {"days_ago": 90})],
        "working_groups": [],
    },
    "designato": {
        "ente": "castelnuovo",
        "office": "Responsabile per la transizione al digitale",
        "position": "employee",
        "registered_days_ago": 94,
        "memberships": [(CYBER, "designated", _designated("sindaco", 110, days_ago=91))],
        "working_groups": [],
    },
    "membro-gdl": {
        "ente": "fiorano",
        "office": "Servizi informativi",
        "position": "employee",
        "registered_days_ago": 93,
        "memberships": [(CYBER, "designated", _designated("rtd", 105, days_ago=90))],
        "working_groups": [(INCIDENT_GROUP, "member")],
    },
    "coordinatore-gdl": {
        "ente": "riofreddo",
        "office": "Area amministrativa e sistemi informativi",
        "position": "employee",
        "registered_days_ago": 95,
        "memberships": [(CYBER, "designated", _designated("sindaco", 120, days_ago=94))],
        "working_groups": [(INCIDENT_GROUP, "coordinator")],
    },
    "coordinatore": {
        "ente": "cm-palermo",
        "office": "Direzione innovazione tecnologica",
        "position": "employee",
        "registered_days_ago": 110,
        "memberships": [
            (CYBER, "coordinator", {"days_ago": 96}),
            (SERVICES, "participant", {"days_ago": 17}),
        ],
        "working_groups": [],
    },
    "supporto": {
        "ente": "anci",
        "office": "Progetto Comuni Digitali",
        "position": "employee",
        "registered_days_ago": 110,
        "memberships": [
            (CYBER, "support", {"support_kind": "anci_dtd", "days_ago": 96}),
            (SERVICES, "support", {"support_kind": "anci_dtd", "days_ago": 18}),
        ],
        "working_groups": [],
    },
}

# Invented colleagues (not in the demo IdP: they cannot sign in). Birth data only feed the
# fiscal code, computed with the real algorithm.
EXTRA_MEMBERS = [
    {
        "name": "Roberta",
        "family_name": "Galli",
        "sex": "F",
        "birth": datetime.date(1977, 2, 11),
        "place_code": "G702",  # Pisa
        "email": "roberta.galli@comune-pietrasanta.example",
        "ente": "pietrasanta",
        "office": "Sistemi informativi",
        "position": "employee",
        "registered_days_ago": 96,
        "memberships": [
            (CYBER, "support", {"support_kind": "expert", "days_ago": 93}),
        ],
        "working_groups": [],
    },
    {
        "name": "Davide",
        "family_name": "Santoro",
        "sex": "M",
        "birth": datetime.date(1981, 10, 3),
        "place_code": "B180",  # Brindisi
        "email": "davide.santoro@comune-ostuni.example",
        "ente": "ostuni",
        "office": "Ufficio transizione digitale",
        "position": "employee",
        "registered_days_ago": 94,
        "memberships": [
            (CYBER, "support", {"support_kind": "expert", "days_ago": 92}),
        ],
        "working_groups": [],
    },
    {
        "name": "Silvia",
        "family_name": "Moretti",
        "sex": "F",
        "birth": datetime.date(1986, 5, 27),
        "place_code": "H501",  # Roma
        "email": "silvia.moretti@comune-colleferro.example",
        "ente": "colleferro",
        "office": "Servizi informatici e protezione dei dati",
        "position": "employee",
        "registered_days_ago": 91,
        "memberships": [
            (CYBER, "support", {"support_kind": "expert", "days_ago": 89}),
        ],
        "working_groups": [],
    },
    {
        "name": "Paolo",
        "family_name": "Greco",
        "sex": "M",
        "birth": datetime.date(1973, 8, 14),
        "place_code": "H501",  # Roma
        "email": "paolo.greco@centro-nazionale.example",
        "ente": "centro-nazionale",
        "office": "Relazioni con le amministrazioni locali",
        "position": "employee",
        "registered_days_ago": 97,
        "memberships": [
            (CYBER, "support", {"support_kind": "national", "days_ago": 95}),
        ],
        "working_groups": [],
    },
    {
        "name": "Antonio",
        "family_name": "Lombardi",
        "sex": "M",
        "birth": datetime.date(1969, 3, 19),
        "place_code": "F052",  # Matera
        "email": "antonio.lombardi@comune-melfi.example",
        "ente": "melfi",
        "office": "Assessorato all'innovazione",
        "position": "assessore",
        "registered_days_ago": 60,
        "memberships": [(CYBER, "designated", _designated("sindaco", 70, days_ago=58))],
        "working_groups": [
            (INCIDENT_GROUP, "member"),
            ("misure-minime-piccoli-comuni", "coordinator"),
        ],
    },
    {
        "name": "Martina",
        "family_name": "Fontana",
        "sex": "F",
        "birth": datetime.date(1992, 12, 1),
        "place_code": "A944",  # Bologna
        "email": "martina.fontana@comune-bologna.example",
        "ente": "bologna",
        "office": "Agenda digitale",
        "position": "employee",
        "registered_days_ago": 40,
        "memberships": [
            (CYBER, "participant", {"days_ago": 38}),
            (SERVICES, "coordinator", {"days_ago": 18}),
        ],
        "working_groups": [],
    },
    {
        "name": "Stefano",
        "family_name": "Barbieri",
        "sex": "M",
        "birth": datetime.date(1983, 7, 8),
        "place_code": "F257",  # Modena
        "email": "stefano.barbieri@comune-fiorano.example",
        "ente": "fiorano",
        "office": "Ufficio tecnico",
        "position": "employee",
        "registered_days_ago": 20,
        # Declared, not yet verified: something for the coordinator to check.
        "memberships": [(CYBER, "designated", _designated("rtd", 25, False, 15))],
        "working_groups": [],
    },
    {
        "name": "Elisa",
        "family_name": "Caruso",
        "sex": "F",
        "birth": datetime.date(1989, 4, 22),
        "place_code": "G273",  # Palermo
        "email": "elisa.caruso@comune-valverde.example",
        "ente": "valverde",
        "office": "Servizi al cittadino",
        "position": "employee",
        "registered_days_ago": 15,
        # Chose not to appear in member directories.
        "show_in_directory": False,
        "memberships": [
            (CYBER, "participant", {"days_ago": 14}),
            (SERVICES, "designated", _designated("rtd", 20, True, 12)),
        ],
        "working_groups": [],
    },
]

"""The Italian demo content, as data.

Rich text is HTML; ``<a page="key">`` links to another demo page by its key (a section key,
a standard page key or a child page's slug). Body blocks are compact tuples turned into
StreamField data by the command:

- ``("h2", text)``, ``("h3", text)``: heading;
- ``("p", html)``: paragraph (rich text);
- ``("callout", "note" | "success" | "warning", title, html)``;
- ``("quote", text, attribution)``;
- ``("button", label, "page:key" | url)``;
- ``("image", image_key, caption)``;
- ``("document", document_key, title)``.

Dates are relative to the day the demo is loaded (``days_ago``, ``days_from_now``, ``days``), so
the demo always looks current. Facts come from the source documents in ``shared/seeds``; the
wording is the portal's own.
"""

SITE_NAME = "Community dei Comuni Digitali"
IMAGE_COLLECTION = "Immagini del portale"
KIT_COLLECTION = "Kit documentali"
WEBINAR_COLLECTION = "Materiali dei webinar"

ACADEMY_URL = "https://accademiacomunidigitali.it/"
# No public address of the Mappa is given in the sources: a placeholder on a reserved domain.
MAP_URL = "https://mappa.comunidigitali.example/"
MAP_EMAIL = "mappacomunidigitali@ancidigitale.it"

PORTAL_SETTINGS = {
    "contact_email": "redazione@comunidigitali.example",
    "owner_name": "ANCI – Community dei Comuni Digitali",
    "owner_url": "https://www.anci.it/",
}

# Pages readable only by signed-in users (Wagtail privacy: "private, accessible to logged-in
# users").
LOGIN_ONLY = ["area-generale", "sondaggio-temi-nuove-comunita-di-pratica"]

# ---------------------------------------------------------------------------------------------
# Images: drawn by cms.demo.images.banner; ``alt`` becomes the image's description (alt text).
# ---------------------------------------------------------------------------------------------

IMAGES = {
    "hero": {
        # No caption: the hero shows its own title beside the image.
        "title": "Comuni in rete",
        "caption": "",
        "palette": "blue",
        "motif": "network",
        "size": (1600, 1200),
        "alt": "Illustrazione astratta su sfondo blu: punti luminosi collegati da linee "
        "sottili, come una rete di Comuni che collaborano.",
    },
    "news-community": {
        "title": "La Community e le Comunità di pratica",
        "caption": "La Community e le sue Comunità di pratica",
        "kicker": "Community",
        "palette": "indigo",
        "motif": "network",
        "alt": "Banner blu scuro con una rete di nodi collegati e il titolo «La Community e le "
        "sue Comunità di pratica».",
    },
    "news-cyber-launch": {
        "title": "Comunità di pratica Cybersicurezza: adesioni aperte",
        "caption": "Cybersicurezza: adesioni aperte",
        "kicker": "Comunità di pratica",
        "palette": "teal",
        "motif": "shield",
        "alt": "Banner verde acqua con uno scudo stilizzato e un lucchetto, e il titolo "
        "«Cybersicurezza: adesioni aperte».",
    },
    "news-academy": {
        "title": "Accademia dei Comuni Digitali",
        "caption": "Accademia dei Comuni Digitali: 400 ore di formazione gratuita",
        "kicker": "Formazione",
        "palette": "green",
        "motif": "books",
        "alt": "Banner verde con una fila di libri stilizzati e il titolo «Accademia dei "
        "Comuni Digitali: 400 ore di formazione gratuita».",
    },
    "news-map": {
        "title": "Mappa dei Comuni Digitali: il questionario",
        "caption": "Mappa dei Comuni Digitali: partecipa alla rilevazione",
        "kicker": "Rilevazione",
        "palette": "slate",
        "motif": "bars",
        "alt": "Banner grigio ardesia con un grafico a barre stilizzato e il titolo «Mappa dei "
        "Comuni Digitali: partecipa alla rilevazione».",
    },
    "news-competence": {
        "title": "Centro di competenze digitali territoriale",
        "caption": "Un Centro di competenze digitali per il territorio",
        "kicker": "Kit documentali",
        "palette": "plum",
        "motif": "grid",
        "alt": "Banner viola con una griglia di riquadri chiari e il titolo «Un Centro di "
        "competenze digitali per il territorio».",
    },
    "news-roles": {
        "title": "Partecipante semplice o designato",
        "caption": "Partecipante semplice o designato?",
        "kicker": "Come partecipare",
        "palette": "blue",
        "motif": "talk",
        "alt": "Banner blu con tre fumetti di dialogo stilizzati e la domanda «Partecipante "
        "semplice o designato?».",
    },
    "news-webinar": {
        "title": "Webinar sulle misure minime di sicurezza",
        "caption": "Misure minime di sicurezza: la registrazione è online",
        "kicker": "Webinar",
        "palette": "teal",
        "motif": "dots",
        "alt": "Banner verde acqua con punti luminosi e il titolo «Misure minime di sicurezza: "
        "la registrazione è online».",
    },
    "news-survey": {
        "title": "Sondaggio sui temi delle nuove Comunità di pratica",
        "caption": "Quali temi per le prossime Comunità di pratica?",
        "kicker": "Sondaggio per gli iscritti",
        "palette": "amber",
        "motif": "talk",
        "alt": "Banner arancio scuro con fumetti stilizzati e la domanda «Quali temi per le "
        "prossime Comunità di pratica?».",
    },
    "working-groups": {
        # An illustration without caption, used inside a page body.
        "title": "Gruppi di lavoro",
        "caption": "",
        "palette": "teal",
        "motif": "talk",
        "size": (1600, 800),
        "alt": "Illustrazione astratta su sfondo verde acqua: tre fumetti di dialogo "
        "stilizzati, come un gruppo di lavoro che discute.",
    },
    "community-cyber": {
        "title": "Comunità di pratica Cybersicurezza",
        "caption": "Cybersicurezza",
        "kicker": "Comunità di pratica",
        "palette": "teal",
        "motif": "shield",
        "alt": "Banner verde acqua con uno scudo stilizzato e la parola «Cybersicurezza».",
    },
    "community-services": {
        "title": "Comunità di pratica Servizi digitali e interoperabilità",
        "caption": "Servizi digitali e interoperabilità",
        "kicker": "Comunità di pratica",
        "palette": "indigo",
        "motif": "grid",
        "alt": "Banner indaco con una griglia di riquadri, come servizi collegati tra loro, e "
        "il titolo «Servizi digitali e interoperabilità».",
    },
}

# ---------------------------------------------------------------------------------------------
# Home page
# ---------------------------------------------------------------------------------------------

HOME = {
    "title": "Community dei Comuni Digitali",
    "seo_title": "Community dei Comuni Digitali – trasformazione digitale degli enti locali",
    "search_description": (
        "Il portale in cui dipendenti e amministratori degli enti locali si confrontano sulla "
        "trasformazione digitale, lavorano nelle Comunità di pratica e condividono kit e webinar."
    ),
    "hero_title": "Innovare i Comuni, insieme",
    "hero_text": (
        "Lo spazio in cui chi lavora negli enti locali si confronta sulla trasformazione "
        "digitale, partecipa alle Comunità di pratica e condivide guide, kit e webinar. "
        "L'iscrizione è gratuita: basta accedere con SPID o CIE."
    ),
    "hero_image": "hero",
    "hero_cta_label": "Scopri le Comunità di pratica",
    "hero_cta_page": "communities",
    "academy_title": "Accademia dei Comuni Digitali",
    "academy_text": (
        "Corsi online gratuiti per il personale di Comuni, Unioni, Città metropolitane e "
        "società partecipate: percorsi base, di approfondimento e specialistici su "
        "semplificazione, servizi digitali, piattaforme nazionali come la PDND e "
        "cybersicurezza. Ogni corso concluso vale un Open Badge."
    ),
    "academy_url": ACADEMY_URL,
    "map_title": "Mappa dei Comuni Digitali",
    "map_text": (
        "La rilevazione che fotografa lo stato della digitalizzazione dei Comuni italiani. "
        "Chi compila il questionario, semplificato per i Comuni sotto i 5.000 abitanti, riceve "
        "una lettura del proprio percorso e può confrontarsi con enti simili."
    ),
    "map_url": MAP_URL,
    "body": [
        ("h2", "Come si partecipa"),
        (
            "p",
            "<ol><li><b>Accedi con SPID o CIE.</b> Il primo accesso vale come iscrizione al "
            "portale.</li><li><b>Accetta le Regole e completa il profilo</b> indicando il tuo "
            "Ente e i recapiti per le attività della Community.</li><li><b>Aderisci a una "
            "Comunità di pratica</b> come partecipante semplice o designato dal tuo "
            "Ente.</li></ol>",
        ),
        (
            "callout",
            "success",
            "Gratuita e personale",
            "<p>L'iscrizione non costa nulla ed è nominativa: ciascuno partecipa con la propria "
            'identità digitale. Prima di iniziare leggi le <a page="rules">Regole della '
            "Community</a>.</p>",
        ),
    ],
}

# ---------------------------------------------------------------------------------------------
# Section pages (children of the home page, in menu order)
# ---------------------------------------------------------------------------------------------

SECTIONS = [
    {
        "key": "news",
        "title": "Notizie",
        "slug": "notizie",
        "summary": "Novità dalla Community, dalle Comunità di pratica e dal progetto ANCI per "
        "la digitalizzazione dei Comuni.",
        "intro": "<p>Aggiornamenti sulle attività delle Comunità di pratica, nuovi kit "
        "documentali, webinar in programma e iniziative del progetto. Alcune notizie sono "
        "riservate agli iscritti: accedi per leggerle tutte.</p>",
    },
    {
        "key": "communities",
        "title": "Comunità di pratica",
        "slug": "comunita-di-pratica",
        "summary": "Gruppi tematici in cui dipendenti e amministratori degli enti locali "
        "discutono, lavorano insieme e producono materiali utili a tutti i Comuni.",
        "intro": "<p>Ogni Comunità di pratica si occupa di un tema, decide con i partecipanti "
        "gli argomenti da affrontare e si organizza in gruppi di lavoro. Puoi aderire a più "
        "Comunità, come partecipante semplice o designato dal tuo Ente.</p>",
    },
    {
        "key": "kits",
        "title": "Kit documentali",
        "slug": "kit-documentali",
        "summary": "Guide, checklist e modelli pronti da usare, pensati per gli uffici dei "
        "Comuni e scaricabili in PDF.",
        "intro": "<p>Ogni kit raccoglie documenti su un tema, con l'indicazione del pubblico a "
        "cui si rivolge. Puoi filtrare i kit per area tematica e per argomento.</p>",
    },
    {
        "key": "webinars",
        "title": "Webinar",
        "slug": "webinar",
        "summary": "Incontri online della Community: i prossimi appuntamenti e le "
        "registrazioni di quelli passati, con le slide.",
        "intro": "<p>Iscriviti ai prossimi webinar o aggiungili al tuo calendario. Degli "
        "incontri già svolti trovi la registrazione e i materiali presentati.</p>",
    },
    {
        "key": "faq",
        "title": "Domande frequenti",
        "slug": "domande-frequenti",
        "summary": "Risposte su iscrizione, ruoli, Comunità di pratica, materiali e questionari.",
        "intro": "<p>Non trovi la risposta che cerchi? Scrivi alla redazione: l'indirizzo è in "
        "fondo a ogni pagina.</p>",
    },
    {
        "key": "resources",
        "title": "Risorse",
        "slug": "risorse",
        "summary": "Tutti i materiali della Community in un solo posto: risultati delle "
        "Comunità di pratica, kit, webinar e notizie.",
        "intro": "<p>Qui trovi in un unico elenco i risultati dei lavori delle Comunità di "
        "pratica, i kit documentali, le registrazioni dei webinar e le ultime novità del "
        "progetto. Filtra per tipo di contenuto o per argomento.</p>",
    },
]

# ---------------------------------------------------------------------------------------------
# News (children of "Notizie")
# ---------------------------------------------------------------------------------------------

NEWS = [
    {
        "slug": "community-dei-comuni-digitali-e-comunita-di-pratica",
        "title": "Che cosa sono la Community dei Comuni Digitali e le sue Comunità di pratica",
        "days_ago": 120,
        "tags": ["community"],
        "image": "news-community",
        "summary": "Uno spazio nazionale per chi lavora negli enti locali, dove confrontarsi "
        "sulla trasformazione digitale e produrre insieme guide e materiali: come è "
        "organizzato e chi può partecipare.",
        "body": [
            ("h2", "Il contesto"),
            (
                "p",
                "<p>La Community nasce dentro il progetto <i>Il Sistema ANCI a supporto della "
                "digitalizzazione dei Comuni</i>, avviato con un accordo tra ANCI e il "
                "Dipartimento per la trasformazione digitale della Presidenza del Consiglio "
                "dei Ministri e finanziato dall'Unione europea con NextGenerationEU. Dello "
                "stesso progetto fanno parte l'Accademia dei Comuni Digitali, con i suoi corsi "
                "online gratuiti, e la Mappa dei Comuni Digitali, la rilevazione sullo stato "
                "della digitalizzazione degli enti locali.</p>"
                "<p>Si rivolge prima di tutto a chi lavora ogni giorno negli enti locali e "
                "vuole approfondire i temi della trasformazione digitale, sia sul piano "
                "tecnico sia su quello giuridico e amministrativo.</p>",
            ),
            ("h2", "Come è organizzata"),
            (
                "p",
                "<p>Il lavoro si svolge nelle <b>Comunità di pratica</b>: gruppi tematici che "
                "discutono le questioni più sentite dagli enti e, soprattutto, producono "
                "materiali che tutti possono usare, come linee guida, modelli e position "
                "paper. Ogni Comunità sceglie gli argomenti da affrontare nel proprio tema e "
                "forma gruppi di lavoro con obiettivi concreti. È anche un luogo di dialogo "
                "tra i referenti dei Comuni, ANCI, il Dipartimento e gli altri soggetti "
                "nazionali competenti.</p>"
                "<p>La prima Comunità di pratica è dedicata alla <b>cybersicurezza</b>; le "
                "successive nasceranno dalle esigenze che emergeranno tra gli iscritti.</p>",
            ),
            ("h2", "Chi può iscriversi"),
            (
                "p",
                "<ul><li>dipendenti di Comuni, Unioni di comuni, associazioni e consorzi di "
                "comuni e società in house;</li><li>amministratori locali, come sindaci, "
                "assessori e consiglieri con delega al digitale, che possono aderire alle "
                "Comunità di pratica e partecipare attivamente ai lavori.</li></ul>",
            ),
            (
                "callout",
                "note",
                "Due modi di partecipare",
                "<p>Dopo l'iscrizione puoi aderire a una Comunità di pratica come "
                "<b>partecipante semplice</b> oppure come <b>partecipante designato</b> dal "
                "tuo Ente, se l'amministrazione ti ha affidato formalmente questo compito. Le "
                'differenze sono spiegate nelle <a page="faq">domande frequenti</a>.</p>',
            ),
            ("button", "Scopri le Comunità di pratica", "page:communities"),
        ],
    },
    {
        "slug": "al-via-la-comunita-di-pratica-cybersicurezza",
        "title": "Al via la Comunità di pratica Cybersicurezza: aperte le adesioni",
        "days_ago": 95,
        "tags": ["cybersicurezza", "community"],
        "image": "news-cyber-launch",
        "summary": "La prima Comunità di pratica si occupa della sicurezza informatica degli "
        "enti locali. Chi è iscritto al portale può aderire da subito con il pulsante "
        "«Aderisci».",
        "body": [
            ("h2", "Perché partire dalla sicurezza"),
            (
                "p",
                "<p>Ransomware, furti di credenziali e interruzioni dei servizi colpiscono "
                "sempre più spesso anche i Comuni piccoli, che raramente hanno personale "
                "informatico dedicato. La Comunità di pratica Cybersicurezza mette in rete chi "
                "si occupa di questi temi negli enti per condividere soluzioni, esperienze e "
                "strumenti pratici.</p>",
            ),
            ("h2", "Come aderire"),
            (
                "p",
                "<ol><li>Accedi al portale con SPID o CIE; se è il tuo primo accesso, completa "
                "l'iscrizione.</li><li>Apri la pagina della Comunità Cybersicurezza e premi "
                "<b>Aderisci</b>.</li><li>Indica se partecipi come partecipante semplice o "
                "come partecipante designato dal tuo Ente.</li></ol>",
            ),
            (
                "callout",
                "success",
                "Il primo incontro",
                "<p>Circa un mese dopo l'apertura delle adesioni si terrà un incontro generale, "
                "soprattutto online, per definire insieme organizzazione, obiettivi e gruppi "
                "di lavoro. Non sono esclusi appuntamenti in presenza.</p>",
            ),
            (
                "quote",
                "Una rete di colleghi che affrontano gli stessi problemi è la prima misura di "
                "sicurezza che un piccolo Comune può permettersi.",
                "Il team di supporto della Comunità",
            ),
            ("button", "Vai alla Comunità Cybersicurezza", "page:cybersicurezza"),
        ],
    },
    {
        "slug": "accademia-dei-comuni-digitali-corsi-gratuiti",
        "title": "Accademia dei Comuni Digitali: corsi gratuiti su tre livelli, con Open Badge",
        "days_ago": 76,
        "tags": ["formazione"],
        "image": "news-academy",
        "summary": "Un catalogo di 400 ore di formazione online per il personale degli enti "
        "locali, dalla semplificazione dei processi alla PDND fino alla cybersicurezza.",
        "body": [
            (
                "p",
                "<p>L'Accademia dei Comuni Digitali è l'ambiente di formazione gratuito nato "
                "per rafforzare le competenze digitali e di project management di chi lavora "
                "in Comuni, Unioni e associazioni di Comuni, Città metropolitane e società "
                "partecipate. Il catalogo, flessibile, prevede 400 ore di formazione.</p>",
            ),
            ("h2", "Le aree tematiche"),
            (
                "p",
                "<ul><li>semplificazione dei processi;</li><li>digitalizzazione delle "
                "procedure e dei servizi;</li><li>attuazione degli adempimenti normativi di "
                "settore;</li><li>uso delle principali piattaforme condivise, come la "
                "Piattaforma Digitale Nazionale Dati (PDND);</li><li>cybersicurezza.</li></ul>",
            ),
            ("h2", "Tre livelli di corso"),
            (
                "p",
                "<ul><li><b>Base</b>: per costruire un linguaggio comune e inquadrare i "
                "principi di ciascun tema.</li><li><b>Approfondimento</b>: per sviluppare "
                "competenze su una sfida specifica della trasformazione digitale.</li>"
                "<li><b>Specialistico</b>: per i profili professionali che lavorano "
                "direttamente su questi temi.</li></ul>"
                "<p>Ogni scheda indica l'area, le questioni trattate, le competenze che si "
                "acquisiscono e i destinatari. La didattica alterna lezioni in diretta e "
                "attività da svolgere in autonomia; alla fine di ogni corso si riceve un "
                "<b>Open Badge</b> che attesta le competenze acquisite.</p>",
            ),
            (
                "callout",
                "note",
                "Come iscriversi",
                "<p>Per seguire i corsi occorre registrarsi sul sito dell'Accademia, dove sono "
                "pubblicati i corsi aperti e quelli in arrivo.</p>",
            ),
            ("button", "Vai all'Accademia dei Comuni Digitali", ACADEMY_URL),
        ],
    },
    {
        "slug": "mappa-dei-comuni-digitali-perche-compilare-il-questionario",
        "title": "Mappa dei Comuni Digitali: perché compilare il questionario",
        "days_ago": 58,
        "tags": ["mappa dei comuni digitali", "questionari"],
        "image": "news-map",
        "summary": "La rilevazione raccoglie dati sullo stato della digitalizzazione dei "
        "Comuni e restituisce a ogni ente un quadro del proprio percorso. Sotto i 5.000 "
        "abitanti il questionario è semplificato.",
        "body": [
            (
                "p",
                "<p>La Mappa dei Comuni Digitali è una ricerca che vuole conoscere, in forma "
                "aggregata, il contesto in cui i Comuni affrontano trasformazione digitale, "
                "semplificazione e riorganizzazione interna. Con l'Accademia è una delle due "
                "iniziative con cui il progetto accompagna gli enti oltre il PNRR, perché le "
                "risorse di questi anni siano l'inizio di un cambiamento duraturo.</p>",
            ),
            ("h2", "Come funziona"),
            (
                "p",
                "<ol><li>Il Comune riceve credenziali personalizzate e si accredita alla "
                "piattaforma della rilevazione.</li><li>Un referente compila il questionario, "
                "in versione completa o semplificata a seconda della popolazione.</li><li>I "
                "dati confluiscono in un report e in strumenti interattivi di analisi.</li>"
                "</ol>",
            ),
            ("h2", "Che cosa ne ricava il Comune"),
            (
                "p",
                "<p>Chi partecipa ottiene una rappresentazione chiara del proprio livello di "
                "digitalizzazione, può confrontarsi con amministrazioni simili e usare i "
                "risultati come punto di partenza per la propria agenda digitale. I dati "
                "aiutano anche a individuare le necessità comuni degli enti dopo il PNRR.</p>",
            ),
            (
                "callout",
                "warning",
                "Accreditamento",
                "<p>Se il tuo Comune non ha ancora ricevuto le credenziali, scrivi a "
                f'<a href="mailto:{MAP_EMAIL}">{MAP_EMAIL}</a>.</p>',
            ),
            (
                "button",
                "Apri il kit sul questionario",
                "page:mappa-dei-comuni-digitali-questionario",
            ),
        ],
    },
    {
        "slug": "nuovo-kit-centro-di-competenze-digitali",
        "title": "Nuovo kit: come avviare un Centro di competenze digitali territoriale",
        "days_ago": 41,
        "tags": ["kit documentali", "competenze digitali", "collaborazione tra enti"],
        "image": "news-competence",
        "summary": "Una guida passo passo e una scheda di rilevazione per i Comuni che "
        "vogliono mettere in comune competenze, servizi e progetti digitali.",
        "body": [
            (
                "p",
                "<p>Molti Comuni non hanno, da soli, tutte le competenze per governare la "
                "trasformazione digitale. Un Centro di competenze digitali territoriale "
                "permette di condividerle: un nodo di coordinamento che organizza tavoli di "
                "lavoro e formazione, fa da help desk, offre orientamento strategico e aiuta "
                "gli enti a partecipare a bandi e finanziamenti.</p>",
            ),
            ("h2", "Tre livelli di relazione tra enti"),
            (
                "p",
                "<ul><li><b>Coordinamento</b>: gli enti restano autonomi e senza gerarchie, ma "
                "programmano insieme e allineano le strategie.</li><li><b>Collaborazione</b>: "
                "si lavora insieme sugli ambiti fissati da una convenzione, come le "
                "competenze, la pianificazione e lo sviluppo dei servizi.</li><li>"
                "<b>Cooperazione</b>: a un ente viene affidata una responsabilità per conto "
                "degli altri, per esempio negli acquisti comuni o nei progetti finanziati."
                "</li></ul>",
            ),
            (
                "p",
                "<p>Il kit riprende una proposta di lavoro elaborata da ReteComuni – ANCI "
                "Lombardia e la aggiorna per gli enti che vogliono partire oggi. Contiene una "
                "guida all'avvio e una scheda per rilevare fabbisogni, criticità e competenze "
                "di ciascun Comune.</p>",
            ),
            ("button", "Apri il kit", "page:centro-di-competenze-digitali-territoriale"),
        ],
    },
    {
        "slug": "partecipante-semplice-o-designato",
        "title": "Partecipante semplice o designato: come scegliere",
        "days_ago": 27,
        "tags": ["community", "ruoli"],
        "image": "news-roles",
        "summary": "Per aderire a una Comunità di pratica bisogna scegliere se partecipare a "
        "titolo personale o su incarico del proprio Ente. Ecco che cosa cambia.",
        "body": [
            (
                "p",
                "<p>Quando aderisci a una Comunità di pratica il portale ti chiede in quale "
                "veste partecipi. La scelta vale per quella Comunità: puoi aderire a più "
                "Comunità, anche con ruoli diversi.</p>",
            ),
            ("h2", "Partecipante semplice"),
            (
                "p",
                "<p>Aderisce in autonomia ed entra nella mailing list della Comunità. Legge i "
                "materiali dell'area riservata, risponde nelle discussioni già aperte, "
                "partecipa ai sondaggi, agli eventi pubblici e alla validazione dei documenti "
                "prima della pubblicazione. Non apre nuovi argomenti.</p>",
            ),
            ("h2", "Partecipante designato"),
            (
                "p",
                "<p>Dichiara di avere una nomina o un incarico del proprio Ente, firmato dal "
                "Sindaco o dal Responsabile per la transizione al digitale (RTD). Oltre a "
                "quello che fa il partecipante semplice, apre nuovi argomenti, entra nei "
                "gruppi di lavoro e contribuisce alla stesura dei materiali, che presenta poi "
                "negli incontri pubblici.</p>",
            ),
            (
                "callout",
                "warning",
                "Conserva la nomina",
                "<p>Non devi caricare la nomina quando aderisci, ma potrebbe esserti chiesta "
                "una copia in seguito: tienila a portata di mano.</p>",
            ),
            (
                "p",
                "<p>La designazione aiuta l'Ente a scegliere le persone più adatte, per "
                "competenze, a rappresentarne le esigenze e a partecipare in modo stabile e "
                "riconosciuto ai lavori.</p>",
            ),
        ],
    },
    {
        "slug": "misure-minime-di-sicurezza-registrazione-online",
        "title": "Misure minime di sicurezza nei Comuni: online la registrazione del webinar",
        "days_ago": 11,
        "tags": ["cybersicurezza", "formazione", "webinar"],
        "image": "news-webinar",
        "summary": "Il primo webinar della Comunità Cybersicurezza ha affrontato le misure da "
        "cui partire anche senza un ufficio informatico. Registrazione e slide sono "
        "disponibili.",
        "body": [
            (
                "p",
                "<p>Durante l'incontro il team di supporto ha presentato le misure di base che "
                "ogni ente può adottare subito: inventario dei sistemi, gestione delle "
                "credenziali, copie di backup verificate, aggiornamenti, formazione del "
                "personale e una procedura chiara per gestire gli incidenti.</p>",
            ),
            ("h2", "Le domande dei partecipanti"),
            (
                "p",
                "<ul><li>Da dove comincia un Comune senza personale informatico dedicato?</li>"
                "<li>Quali clausole di sicurezza inserire nei contratti con i fornitori?</li>"
                "<li>Chi va avvisato, e in quali tempi, in caso di incidente?</li></ul>"
                "<p>Le risposte confluiranno nel lavoro dei gruppi della Comunità di pratica e "
                "nelle prossime versioni del kit sulla cybersicurezza.</p>",
            ),
            (
                "button",
                "Registrazione e slide del webinar",
                "page:misure-minime-di-sicurezza-nei-comuni",
            ),
        ],
    },
    {
        "slug": "sondaggio-temi-nuove-comunita-di-pratica",
        "title": "Sondaggio per gli iscritti: quali temi per le prossime Comunità di pratica?",
        "days_ago": 4,
        "tags": ["sondaggi", "community"],
        "image": "news-survey",
        "summary": "Riservato agli iscritti: indica i temi su cui il tuo Ente vorrebbe "
        "lavorare. Le risposte orienteranno l'avvio delle nuove Comunità di pratica.",
        "body": [
            (
                "p",
                "<p>Dopo l'avvio della Comunità Cybersicurezza vogliamo capire quali altri temi "
                "interessano di più agli enti. Il sondaggio richiede pochi minuti ed è "
                "riservato agli iscritti alla Community.</p>",
            ),
            ("h2", "I temi proposti"),
            (
                "p",
                "<ul><li>servizi digitali e interoperabilità (PDND, pagoPA, app IO);</li>"
                "<li>gestione documentale e conservazione;</li><li>dati aperti e uso dei dati "
                "per le decisioni;</li><li>accessibilità di siti e servizi;</li><li>migrazione "
                "al cloud.</li></ul><p>Puoi anche proporre un tema che non è in elenco.</p>",
            ),
            (
                "callout",
                "note",
                "Come usiamo le risposte",
                "<p>Le risposte sono analizzate solo in forma aggregata e servono a programmare "
                "le attività della Community. I risultati saranno pubblicati nella sezione "
                '<a page="resources">Risorse</a>.</p>',
            ),
            ("button", "Vai all'Area generale della Community", "page:area-generale"),
        ],
    },
]

# ---------------------------------------------------------------------------------------------
# Communities of practice (children of "Comunità di pratica")
# ---------------------------------------------------------------------------------------------

COMMUNITIES = [
    {
        "slug": "cybersicurezza",
        "title": "Cybersicurezza",
        "days_ago": 95,
        "summary": "La Comunità di pratica sulla sicurezza informatica degli enti locali: "
        "misure di base, gestione degli incidenti, formazione del personale e rapporti con i "
        "fornitori.",
        "theme": "Sicurezza informatica e protezione dei servizi digitali degli enti locali",
        "image": "community-cyber",
        "mission": "<p>Aiutare i Comuni, a partire dai più piccoli, a proteggere dati, sistemi "
        "e servizi digitali mettendo in comune esperienze, strumenti e competenze. La "
        "Comunità trasforma il confronto tra enti in materiali pratici, validati dai "
        "partecipanti e pubblicati per tutti.</p>",
        "objectives": "<ul><li>Una checklist delle misure minime di sicurezza adatta ai Comuni "
        "senza un ufficio informatico.</li><li>Un modello di procedura per gestire gli "
        "incidenti e le comunicazioni obbligatorie.</li><li>Una raccolta di clausole di "
        "sicurezza da usare negli affidamenti di servizi ICT.</li><li>Percorsi di "
        "sensibilizzazione del personale, in raccordo con l'Accademia dei Comuni "
        "Digitali.</li></ul>",
        "timeline": [
            {
                "days": -95,
                "title": "Apertura delle adesioni",
                "status": "done",
                "description": "Gli iscritti alla Community possono aderire come partecipanti "
                "semplici o designati dal proprio Ente.",
            },
            {
                "days": -64,
                "title": "Incontro generale di avvio",
                "status": "done",
                "description": "Incontro online per condividere organizzazione, obiettivi e "
                "proposte dei partecipanti; il coordinatore presenta il team di supporto.",
            },
            {
                "days": -40,
                "title": "Gruppi di lavoro all'opera",
                "status": "ongoing",
                "description": "Tre gruppi lavorano su misure minime, gestione degli incidenti "
                "e contratti ICT; ciascuno ha nominato il proprio coordinatore.",
            },
            {
                "days": 45,
                "title": "Validazione delle prime bozze",
                "status": "planned",
                "description": "Le bozze dei gruppi vengono sottoposte a tutti i partecipanti "
                "prima della pubblicazione.",
            },
            {
                "days": 120,
                "title": "Evento di presentazione dei risultati",
                "status": "planned",
                "description": "Incontro pubblico per presentare i materiali prodotti e "
                "raccogliere proposte per il semestre successivo.",
            },
        ],
        "body": [
            ("h2", "Chi fa parte della Comunità"),
            (
                "p",
                "<ul><li><b>I partecipanti</b>, semplici e designati.</li><li><b>Un "
                "coordinatore</b>, che guida le attività, la moderazione e la comunicazione."
                "</li><li><b>Un team di supporto</b>: un referente ANCI/DTD, un referente di un "
                "soggetto nazionale competente in materia di sicurezza informatica e da tre a "
                "cinque esperti di dominio, scelti su base volontaria tra i partecipanti."
                "</li></ul>",
            ),
            ("h2", "Come lavoriamo"),
            (
                "p",
                "<p>Il coordinatore e il team di supporto raccolgono le proposte dei "
                "partecipanti e le trasformano in un piano di sviluppo tematico, con obiettivi "
                "e un cronoprogramma di massima. Invitano poi i partecipanti nei gruppi di "
                "lavoro sui sotto-temi individuati e, quando un obiettivo è raggiunto, portano "
                "a sintesi il lavoro e lo diffondono a tutta la Community.</p>",
            ),
            (
                "image",
                "working-groups",
                "Ogni gruppo di lavoro ha uno spazio riservato in cui discutere e scrivere le "
                "bozze.",
            ),
            (
                "callout",
                "note",
                "Le bozze restano riservate",
                "<p>Bozze e documenti intermedi restano nello spazio dei gruppi di lavoro: "
                "vengono pubblicati solo dopo la validazione dei partecipanti.</p>",
            ),
            ("button", "Leggi le Regole della Community", "page:rules"),
        ],
    },
    {
        "slug": "servizi-digitali-e-interoperabilita",
        "title": "Servizi digitali e interoperabilità",
        "days_ago": 18,
        "summary": "La nuova Comunità di pratica su servizi online, piattaforme abilitanti e "
        "scambio di dati tra amministrazioni. Adesioni aperte, incontro di avvio in "
        "programma.",
        "theme": "Servizi digitali per cittadini e imprese, piattaforme abilitanti e "
        "interoperabilità",
        "image": "community-services",
        "mission": "<p>Accompagnare i Comuni nella progettazione di servizi online semplici e "
        "accessibili e nell'uso delle piattaforme nazionali, a partire dalla Piattaforma "
        "Digitale Nazionale Dati (PDND), perché i dati circolino tra amministrazioni invece di "
        "essere chiesti ogni volta a cittadini e imprese.</p>",
        "objectives": "<ul><li>Raccogliere e confrontare le esperienze di integrazione con la "
        "PDND e con le altre piattaforme abilitanti.</li><li>Individuare i servizi più "
        "richiesti e definire modelli comuni per digitalizzarli.</li><li>Condividere "
        "soluzioni in riuso e indicazioni utili per gli affidamenti.</li></ul>",
        "timeline": [
            {
                "days": -18,
                "title": "Apertura delle adesioni",
                "status": "ongoing",
                "description": "Gli iscritti alla Community possono aderire alla nuova "
                "Comunità di pratica.",
            },
            {
                "days": 12,
                "title": "Incontro generale di avvio",
                "status": "planned",
                "description": "Incontro online per raccogliere le proposte dei partecipanti "
                "e definire i primi obiettivi.",
            },
            {
                "days": 45,
                "title": "Costituzione dei gruppi di lavoro",
                "status": "planned",
                "description": "I partecipanti designati si organizzano in gruppi sui "
                "sotto-temi scelti.",
            },
            {
                "days": 150,
                "title": "Prime indicazioni condivise",
                "status": "planned",
                "description": "Pubblicazione, dopo la validazione, delle prime indicazioni "
                "per l'integrazione dei servizi con la PDND.",
            },
        ],
        "body": [
            (
                "p",
                "<p>La Comunità nasce dalle richieste emerse tra gli iscritti dopo l'avvio "
                "della Comunità Cybersicurezza. Come ogni Comunità di pratica, deciderà con i "
                "partecipanti gli argomenti da affrontare e i gruppi di lavoro da "
                "costituire.</p>",
            ),
            (
                "callout",
                "success",
                "Aderisci adesso",
                "<p>Chi aderisce nelle prime settimane contribuisce a definire il piano di "
                "lavoro durante l'incontro di avvio.</p>",
            ),
        ],
    },
]

# ---------------------------------------------------------------------------------------------
# Document kits (children of "Kit documentali"); documents are keys of
# cms.demo.documents.KIT_DOCUMENTS.
# ---------------------------------------------------------------------------------------------

KITS = [
    {
        "slug": "cybersicurezza-nei-piccoli-comuni",
        "title": "Cybersicurezza nei piccoli Comuni",
        "days_ago": 62,
        "thematic_area": "cybersecurity",
        "target_audience": "Segretari comunali, RTD e referenti informatici dei Comuni fino a "
        "15.000 abitanti",
        "tags": ["cybersicurezza", "checklist", "piccoli comuni"],
        "summary": "Una checklist delle misure essenziali, un modello di procedura per gli "
        "incidenti informatici e una scheda per il personale, pensati per gli enti senza un "
        "ufficio informatico strutturato.",
        "description": "<p>Il kit raccoglie gli strumenti di partenza per mettere in sicurezza "
        "un piccolo Comune senza grandi investimenti: che cosa verificare, chi coinvolgere, "
        "come reagire quando qualcosa va storto.</p><ul><li>una <b>checklist</b> dei "
        "controlli essenziali, organizzati per area;</li><li>un <b>modello di procedura</b> "
        "per la gestione degli incidenti, da adattare e approvare;</li><li>una <b>scheda di "
        "sensibilizzazione</b> da distribuire a tutto il personale.</li></ul>",
        "documents": [
            ("cyber-checklist", "Checklist delle misure essenziali, da compilare"),
            ("cyber-incident", "Modello di procedura, da adattare al proprio ente"),
            ("cyber-awareness", "Scheda di due pagine per tutto il personale"),
        ],
        "related": [
            "centro-di-competenze-digitali-territoriale",
            "mappa-dei-comuni-digitali-questionario",
        ],
        "body": [
            ("h2", "Come usare il kit"),
            (
                "p",
                "<ol><li>Compila la checklist con il referente informatico o con il fornitore "
                "che gestisce i sistemi.</li><li>Segna le misure mancanti e assegna a ciascuna "
                "un responsabile e una scadenza.</li><li>Adatta il modello di procedura alla "
                "tua organizzazione e fallo adottare con un atto formale.</li><li>Distribuisci "
                "la scheda al personale e ripeti la verifica ogni sei mesi.</li></ol>",
            ),
            (
                "callout",
                "note",
                "Un kit che cresce",
                "<p>Il kit è curato dalla Comunità di pratica Cybersicurezza: le nuove versioni "
                "vengono validate dai partecipanti prima della pubblicazione.</p>",
            ),
        ],
    },
    {
        "slug": "centro-di-competenze-digitali-territoriale",
        "title": "Avviare un Centro di competenze digitali territoriale",
        "days_ago": 41,
        "thematic_area": "organisation",
        "target_audience": "Sindaci, Segretari comunali e RTD di Comuni che vogliono "
        "collaborare in forma associata; Unioni e Consorzi di comuni",
        "tags": ["competenze digitali", "collaborazione tra enti", "kit documentali"],
        "summary": "Una guida e una scheda di rilevazione per progettare e avviare un centro "
        "che metta in comune competenze, servizi e progetti digitali tra più Comuni.",
        "description": "<p>Il kit accompagna la fase preparatoria e l'avvio di un Centro di "
        "competenze digitali territoriale: dalla scelta del livello di relazione tra gli enti "
        "alla mappatura di fabbisogni, criticità e competenze di ogni Comune.</p><h3>Che cosa "
        "contiene</h3><ul><li>la guida all'avvio del Centro;</li><li>la scheda di "
        "rilevazione da far compilare ai Comuni aderenti.</li></ul>",
        "documents": [
            ("competence-guide", "Guida alla progettazione e all'avvio"),
            ("competence-survey", "Scheda da compilare per ciascun Comune"),
        ],
        "related": ["cybersicurezza-nei-piccoli-comuni", "mappa-dei-comuni-digitali-questionario"],
        "body": [
            ("h2", "Da dove partire"),
            (
                "p",
                "<p>Conviene cominciare da un gruppo ristretto di enti già abituati a lavorare "
                "insieme, per esempio i Comuni di un'Unione, e usare la scheda di rilevazione "
                "per costruire una base di conoscenza comune prima di scrivere la "
                "convenzione.</p>",
            ),
            (
                "quote",
                "Il Centro di competenze non sostituisce gli uffici dei Comuni: li mette in rete.",
                "Dalla guida all'avvio",
            ),
            (
                "callout",
                "note",
                "Fonte",
                "<p>I contenuti rielaborano la proposta di lavoro per la progettazione di un "
                "Centro di competenze digitali territoriale presentata da ReteComuni – ANCI "
                "Lombardia.</p>",
            ),
        ],
    },
    {
        "slug": "mappa-dei-comuni-digitali-questionario",
        "title": "Mappa dei Comuni Digitali: guida al questionario",
        "days_ago": 55,
        "thematic_area": "data",
        "target_audience": "Referenti comunali incaricati di compilare il questionario della "
        "Mappa dei Comuni Digitali e Responsabili per la transizione al digitale",
        "tags": ["mappa dei comuni digitali", "questionari", "dati"],
        "summary": "Come prepararsi alla compilazione, quali dati raccogliere e come usare il "
        "report restituito al Comune per costruire la propria agenda digitale.",
        "description": "<p>Il questionario della Mappa dei Comuni Digitali chiede informazioni "
        "che spesso sono sparse tra più uffici. Questo kit aiuta a raccoglierle per tempo e a "
        "leggere i risultati.</p><ul><li>la guida alla compilazione, con l'elenco dei dati "
        "da preparare;</li><li>la guida alla lettura del report e al confronto con gli altri "
        "enti.</li></ul>",
        "documents": [
            ("map-guide", "Come prepararsi e compilare il questionario"),
            ("map-report", "Come leggere il report e usarlo per l'agenda digitale"),
        ],
        "related": ["centro-di-competenze-digitali-territoriale"],
        "body": [
            ("h2", "Versione completa o semplificata"),
            (
                "p",
                "<p>I Comuni con meno di 5.000 abitanti compilano una versione semplificata del "
                "questionario, più breve. Le aree indagate sono le stesse, così i risultati "
                "restano confrontabili con quelli degli altri enti.</p>",
            ),
            (
                "callout",
                "warning",
                "Credenziali",
                "<p>Per accreditarsi alla rilevazione servono le credenziali personalizzate "
                "inviate al Comune. Se non le trovate, scrivete a "
                f'<a href="mailto:{MAP_EMAIL}">{MAP_EMAIL}</a>.</p>',
            ),
        ],
    },
]

# ---------------------------------------------------------------------------------------------
# Webinars (children of "Webinar"); materials are keys of cms.demo.documents.WEBINAR_SLIDES.
# ``start`` and ``end`` are (hour, minute) in Europe/Rome.
# ---------------------------------------------------------------------------------------------

WEBINARS = [
    {
        "slug": "come-funziona-la-community",
        "title": "Come funziona la Community: iscrizione, Comunità di pratica e ruoli",
        "days_from_now": -48,
        "start": (11, 0),
        "end": (12, 0),
        "summary": "Un'ora per scoprire come ci si iscrive, come si aderisce a una Comunità di "
        "pratica e che cosa possono fare partecipanti semplici e designati.",
        "description": "<p>Il webinar di presentazione del portale, pensato per chi si è appena "
        "iscritto o sta valutando se farlo.</p><ul><li>il primo accesso con SPID o CIE e il "
        "profilo;</li><li>l'adesione alle Comunità di pratica;</li><li>partecipanti semplici "
        "e designati, gruppi di lavoro, coordinatori;</li><li>dove trovare kit, webinar e "
        "risultati dei lavori.</li></ul>",
        "speakers": [
            {
                "name": "Chiara Lombardi",
                "role": "Redazione del portale",
                "organisation": "Community dei Comuni Digitali",
            },
            {
                "name": "Paolo Ferri",
                "role": "Referente ANCI/DTD del team di supporto",
                "organisation": "Comunità di pratica Cybersicurezza",
            },
        ],
        "recording_url": "https://video.comunidigitali.example/webinar/come-funziona-la-community",
        "materials": [("slides-community", "Slide presentate durante il webinar")],
        "tags": ["community", "formazione"],
    },
    {
        "slug": "misure-minime-di-sicurezza-nei-comuni",
        "title": "Misure minime di sicurezza nei Comuni: da dove partire",
        "days_from_now": -16,
        "start": (10, 0),
        "end": (11, 30),
        "summary": "Inventario, credenziali, backup, aggiornamenti e gestione degli incidenti: "
        "le misure che anche un piccolo Comune può adottare subito.",
        "description": "<p>Il primo webinar della Comunità di pratica Cybersicurezza, dedicato "
        "agli enti che non hanno un ufficio informatico strutturato.</p><ul><li>conoscere i "
        "propri sistemi e i propri fornitori;</li><li>credenziali, autenticazione a più "
        "fattori e backup verificati;</li><li>che cosa fare nelle prime ore di un incidente;"
        "</li><li>come coinvolgere e formare il personale.</li></ul>",
        "speakers": [
            {
                "name": "Laura Bellini",
                "role": "Coordinatrice della Comunità di pratica",
                "organisation": "Comunità di pratica Cybersicurezza",
            },
            {
                "name": "Marco De Santis",
                "role": "Esperto di dominio del team di supporto",
                "organisation": "Comunità di pratica Cybersicurezza",
            },
        ],
        "recording_url": "https://video.comunidigitali.example/webinar/misure-minime-sicurezza",
        "materials": [("slides-cyber", "Slide presentate durante il webinar")],
        "tags": ["cybersicurezza", "formazione"],
    },
    {
        "slug": "centri-di-competenze-digitali-esperienze",
        "title": "Centri di competenze digitali: esperienze di collaborazione tra Comuni",
        "days_from_now": 9,
        "start": (10, 0),
        "end": (11, 30),
        "summary": "Come si progetta e si avvia un centro che metta in comune competenze e "
        "servizi digitali tra più Comuni: modelli, convenzioni, primi passi.",
        "description": "<p>Partendo dal kit sui Centri di competenze digitali territoriali, "
        "l'incontro affronta le scelte da fare all'inizio:</p><ul><li>coordinamento, "
        "collaborazione o cooperazione: quale livello di relazione scegliere;</li><li>come "
        "rilevare fabbisogni, criticità e competenze dei Comuni;</li><li>che cosa scrivere "
        "nella convenzione.</li></ul><p>Ampio spazio alle domande dei partecipanti.</p>",
        "speakers": [
            {
                "name": "Elena Ricci",
                "role": "Responsabile per la transizione al digitale di un'Unione di comuni",
                "organisation": "Esperta di dominio",
            },
            {
                "name": "Chiara Lombardi",
                "role": "Moderazione",
                "organisation": "Community dei Comuni Digitali",
            },
        ],
        "registration_url": "https://eventi.comunidigitali.example/centri-di-competenze-digitali",
        "tags": ["competenze digitali", "collaborazione tra enti"],
    },
    {
        "slug": "dal-questionario-allagenda-digitale",
        "title": "Dal questionario all'agenda digitale: leggere il report della Mappa dei "
        "Comuni Digitali",
        "days_from_now": 30,
        "start": (14, 30),
        "end": (16, 0),
        "summary": "Come interpretare il report restituito al Comune, confrontarsi con enti "
        "simili e trasformare i risultati in priorità concrete.",
        "description": "<p>Un incontro pratico per i referenti che hanno compilato il "
        "questionario della Mappa dei Comuni Digitali.</p><ul><li>la struttura del report e "
        "gli indicatori;</li><li>il confronto con gli enti di dimensione simile;</li><li>dai "
        "risultati a un'agenda digitale con priorità, responsabili e tempi.</li></ul>",
        "speakers": [
            {
                "name": "Giorgio Marini",
                "role": "Gruppo di ricerca della Mappa dei Comuni Digitali",
                "organisation": "ANCI",
            },
        ],
        "registration_url": "https://eventi.comunidigitali.example/mappa-report",
        "tags": ["mappa dei comuni digitali", "questionari"],
    },
]

# ---------------------------------------------------------------------------------------------
# FAQ (categories of the "Domande frequenti" page)
# ---------------------------------------------------------------------------------------------

FAQ_CATEGORIES = [
    {
        "title": "Accesso e registrazione",
        "questions": [
            (
                "Che cos'è la Community dei Comuni Digitali?",
                "<p>È lo spazio online in cui chi lavora negli enti locali si confronta sulla "
                "trasformazione digitale e produce materiali utili a tutti i Comuni. Fa parte "
                "del progetto <i>Il Sistema ANCI a supporto della digitalizzazione dei "
                "Comuni</i>, nato da un accordo tra ANCI e il Dipartimento per la "
                "trasformazione digitale e finanziato dall'Unione europea con "
                "NextGenerationEU. Spesso la chiamiamo semplicemente «la Community».</p>",
            ),
            (
                "Come mi iscrivo?",
                "<p>Premi <b>Accedi</b> in alto a destra ed entra con SPID o CIE. Il primo "
                "accesso vale come iscrizione:</p><ol><li>confermi di aver letto le "
                '<a page="rules">Regole della Community</a>;</li><li>dai il consenso al '
                "trattamento dei dati;</li><li>completi il profilo con l'Ente di appartenenza "
                "e i recapiti da usare per le attività della Community.</li></ol><p>Dagli "
                "accessi successivi entri direttamente nel portale.</p>",
            ),
            (
                "Chi può iscriversi?",
                "<p>I dipendenti di Comuni, Unioni di comuni, associazioni e consorzi di "
                "comuni, Città metropolitane e società in house dei Comuni. Possono iscriversi "
                "anche gli amministratori, come sindaci, assessori e consiglieri con delega al "
                "digitale, e partecipare attivamente ai lavori delle Comunità di pratica.</p>",
            ),
            (
                "L'iscrizione è a pagamento?",
                "<p>No. L'iscrizione e la partecipazione sono gratuite. L'iscrizione è "
                "personale: ciascuno partecipa con la propria identità digitale e non può "
                "cedere il proprio accesso ad altri.</p>",
            ),
        ],
    },
    {
        "title": "Ruoli e partecipazione",
        "questions": [
            (
                "Che differenza c'è tra la Community e una Comunità di pratica?",
                "<p>La <b>Community</b> è il progetto nel suo insieme e il portale a cui ci si "
                "iscrive. Le <b>Comunità di pratica</b> (a volte abbreviate in CdP) sono i "
                "gruppi tematici in cui si lavora concretamente: quando si parla, per esempio, "
                "di «Comunità Cybersicurezza» si intende la Comunità di pratica dedicata a "
                "quel tema.</p>",
            ),
            (
                "Che cosa vedo da iscritto, prima di aderire a una Comunità di pratica?",
                "<p>L'area generale della Community: notizie, kit documentali, webinar e "
                "sondaggi. Per entrare nell'area riservata di una Comunità di pratica, "
                "partecipare alle discussioni e ai gruppi di lavoro occorre aderire a quella "
                "Comunità.</p>",
            ),
            (
                "Che differenza c'è tra partecipante semplice e partecipante designato?",
                "<p>Il <b>partecipante semplice</b> aderisce a titolo personale: riceve le "
                "comunicazioni della Comunità, legge i materiali, risponde nelle discussioni, "
                "partecipa ai sondaggi e alla validazione dei materiali. Non può aprire nuovi "
                "argomenti.</p><p>Il <b>partecipante designato</b> rappresenta il proprio "
                "Ente: in più apre nuovi argomenti, entra nei gruppi di lavoro e collabora "
                "alla stesura dei materiali.</p>",
            ),
            (
                "Come divento partecipante designato?",
                "<p>Quando aderisci alla Comunità di pratica scegli la modalità «designato» e "
                "dichiari di avere una nomina o un incarico del tuo Ente, firmato dal Sindaco "
                "o dal Responsabile per la transizione al digitale. Non devi caricare il "
                "documento, ma conservalo: potrebbe esserti chiesta una copia.</p>",
            ),
            (
                "Posso aderire a più Comunità di pratica?",
                "<p>Sì, e anche con ruoli diversi: puoi essere partecipante designato in una "
                "Comunità e partecipante semplice in un'altra. Ogni adesione esprime "
                "l'interesse tuo o del tuo Ente per quel tema, per questo va fatta Comunità "
                "per Comunità.</p>",
            ),
        ],
    },
    {
        "title": "Comunità di pratica",
        "questions": [
            (
                "Come aderisco a una Comunità di pratica?",
                "<p>Dopo l'accesso apri la pagina della Comunità dalla sezione <a page=\""
                'communities">Comunità di pratica</a> e premi <b>Aderisci</b>. Ti verrà chiesto '
                "se partecipi come partecipante semplice o designato.</p>",
            ),
            (
                "Chi coordina una Comunità di pratica?",
                "<p>Ogni Comunità ha un <b>coordinatore</b> e un <b>team di supporto</b> "
                "formato da un referente ANCI/DTD, un referente di un soggetto nazionale "
                "competente sul tema e da tre a cinque esperti di dominio scelti tra i "
                "partecipanti su base volontaria. Insieme definiscono il piano di lavoro, "
                "seguono i gruppi e curano la diffusione dei risultati.</p>",
            ),
            (
                "Che cosa sono i gruppi di lavoro?",
                "<p>Sono gruppi ristretti di partecipanti designati che lavorano a un prodotto "
                "preciso, per esempio una guida o un modello di documento. Ogni gruppo ha un "
                "proprio spazio riservato e nomina un coordinatore. Si entra su invito del "
                "coordinatore oppure chiedendo di partecipare. La partecipazione richiede una "
                "certa continuità, calibrata sull'attività da svolgere.</p>",
            ),
            (
                "Chi può aprire un nuovo argomento di discussione?",
                "<p>I partecipanti designati, nell'ambito dei temi stabiliti dai gruppi di "
                "lavoro, oltre al coordinatore e al team di supporto. I partecipanti semplici "
                "possono rispondere in tutte le discussioni aperte.</p>",
            ),
            (
                "Che cosa succede dopo l'apertura delle adesioni?",
                "<p>Circa un mese dopo l'apertura delle adesioni la Comunità si riunisce, "
                "soprattutto online, per definire organizzazione, obiettivi e gruppi di "
                "lavoro. Possono essere organizzati anche incontri in presenza.</p>",
            ),
        ],
    },
    {
        "title": "Materiali e Risorse",
        "questions": [
            (
                "Dove trovo i documenti prodotti dalle Comunità di pratica?",
                '<p>Nella sezione <a page="resources">Risorse</a>, insieme ai kit '
                "documentali e alle registrazioni dei webinar. Le bozze e i materiali "
                "intermedi, salvo casi particolari, non vengono pubblicati.</p>",
            ),
            (
                "Come vengono validati i materiali?",
                "<p>Prima della pubblicazione ogni documento è sottoposto ai partecipanti della "
                "Comunità di pratica, semplici e designati, che possono commentarlo e "
                "segnalare correzioni. Il coordinatore e il team di supporto raccolgono le "
                "osservazioni e approvano la versione finale.</p>",
            ),
            (
                "Che cosa contiene la sezione Risorse?",
                "<p>I risultati dei lavori delle Comunità di pratica e una panoramica delle "
                "novità del progetto: nuovi kit, webinar in programma e registrazioni, "
                "notizie. Puoi filtrare per tipo di contenuto e per argomento.</p>",
            ),
        ],
    },
    {
        "title": "Questionari e sondaggi",
        "questions": [
            (
                "A che cosa servono i sondaggi della Community?",
                "<p>Servono a capire le esigenze degli enti: quali temi della trasformazione "
                "digitale interessano di più, come sono percepite le questioni di attualità, "
                "quali attività proporre. Le risposte sono analizzate in forma aggregata.</p>",
            ),
            (
                "Chi può rispondere ai sondaggi di una Comunità di pratica?",
                "<p>Chi ha aderito a quella Comunità. Sono sondaggi brevi sulle attività in "
                "corso, per esempio sulla scelta degli obiettivi o sulle date degli incontri. "
                "I sondaggi generali del portale sono invece aperti a tutti gli iscritti.</p>",
            ),
            (
                "Che cos'è il questionario della Mappa dei Comuni Digitali?",
                "<p>È la rilevazione con cui la Mappa dei Comuni Digitali raccoglie dati sullo "
                "stato della digitalizzazione di ciascun Comune; sotto i 5.000 abitanti è "
                'disponibile una versione semplificata. Il <a page="mappa-dei-comuni-'
                'digitali-questionario">kit dedicato</a> spiega come prepararsi. Per '
                f'l\'accreditamento scrivi a <a href="mailto:{MAP_EMAIL}">{MAP_EMAIL}</a>.</p>',
            ),
        ],
    },
]

# ---------------------------------------------------------------------------------------------
# Standard pages (children of the home page, after the sections). The footer pages are linked
# from PortalSettings; "area-generale" is readable by signed-in users only.
# ---------------------------------------------------------------------------------------------

STANDARD_PAGES = [
    {
        "key": "area-generale",
        "slug": "area-generale",
        "title": "Area generale della Community",
        "summary": "Lo spazio riservato agli iscritti: comunicazioni della redazione, "
        "sondaggi aperti, calendario e scorciatoie verso le Comunità di pratica.",
        "updated_days_ago": 4,
        "body": [
            (
                "p",
                "<p>Benvenuta e benvenuto nell'area generale della Community. Questa pagina è "
                "visibile solo a chi ha effettuato l'accesso e raccoglie quello che serve per "
                "seguire le attività anche senza aver ancora aderito a una Comunità di "
                "pratica.</p>",
            ),
            ("h2", "Sondaggi aperti"),
            (
                "p",
                "<ul><li><b>Quali temi per le prossime Comunità di pratica?</b> Indica gli "
                "argomenti su cui il tuo Ente vorrebbe lavorare: servono pochi minuti.</li>"
                "<li><b>Gradimento dei webinar</b>: se hai seguito un webinar della Community, "
                "raccontaci che cosa è stato utile e che cosa possiamo migliorare.</li></ul>",
            ),
            (
                "button",
                "Leggi la notizia sul sondaggio",
                "page:sondaggio-temi-nuove-comunita-di-pratica",
            ),
            ("h2", "Prossimi passi"),
            (
                "p",
                "<ol><li>Controlla che il tuo profilo sia completo e che l'Ente indicato sia "
                "corretto.</li><li>Scegli una Comunità di pratica e aderisci come "
                "partecipante semplice o designato.</li><li>Iscriviti ai prossimi webinar dal "
                "calendario della sezione Webinar.</li></ol>",
            ),
            (
                "callout",
                "note",
                "Comunicazioni della redazione",
                "<p>Le comunicazioni importanti arrivano anche per email, all'indirizzo "
                "indicato nel profilo. Se cambi ufficio o Ente, aggiorna i tuoi dati: "
                "l'appartenenza all'Ente determina a quali attività puoi partecipare come "
                "designato.</p>",
            ),
            ("button", "Vai alle Comunità di pratica", "page:communities"),
        ],
    },
    {
        "key": "rules",
        "slug": "regole-della-community",
        "title": "Regole della Community",
        "summary": "Le regole che ogni iscritto accetta al primo accesso: comportamento, "
        "discussioni, moderazione, materiali e dati personali.",
        "updated_days_ago": 100,
        "body": [
            (
                "p",
                "<p>La Community dei Comuni Digitali è uno spazio di lavoro tra colleghi della "
                "pubblica amministrazione locale. Queste regole servono a mantenerlo utile, "
                "ordinato e rispettoso. Si accettano al primo accesso, che vale come "
                "iscrizione, e valgono in tutte le aree del portale: pagine pubbliche, area "
                "generale, aree riservate delle Comunità di pratica e spazi dei gruppi di "
                "lavoro.</p>",
            ),
            ("h2", "1. Chi partecipa e con quale identità"),
            (
                "p",
                "<ul><li>L'iscrizione è gratuita, personale e avviene con SPID o CIE: ogni "
                "persona ha un solo account e non lo cede ad altri.</li><li>Nel profilo "
                "indichi l'Ente a cui appartieni e lo mantieni aggiornato.</li><li>Chi "
                "aderisce a una Comunità di pratica come partecipante designato dichiara di "
                "avere una nomina del proprio Ente e, se richiesto, ne fornisce copia. Una "
                "dichiarazione non veritiera comporta la perdita del ruolo di designato.</li>"
                "</ul>",
            ),
            ("h2", "2. Comportamento"),
            (
                "p",
                "<ul><li>Scrivi come faresti in una riunione di lavoro: con cortesia, nel "
                "merito e senza attacchi personali.</li><li>Non sono ammessi insulti, "
                "linguaggio discriminatorio, molestie, propaganda politica o elettorale, "
                "pubblicità e messaggi commerciali.</li><li>Critica le idee, non le persone "
                "né gli enti. Le esperienze negative si raccontano per aiutare gli altri, non "
                "per mettere in difficoltà un'amministrazione o un fornitore.</li><li>Parli a "
                "titolo personale, salvo quando intervieni esplicitamente come partecipante "
                "designato per conto del tuo Ente.</li></ul>",
            ),
            ("h2", "3. Argomenti e risposte"),
            (
                "p",
                "<ul><li>Un <b>argomento</b> apre una nuova discussione: possono aprirlo i "
                "partecipanti designati, il coordinatore e il team di supporto, nell'ambito "
                "dei temi stabiliti dalla Comunità e dai suoi gruppi di lavoro.</li><li>Tutti "
                "i partecipanti, semplici e designati, possono <b>rispondere</b> alle "
                "discussioni aperte.</li><li>Prima di aprire un argomento controlla che non "
                "esista già; usa un titolo chiaro e un solo tema per discussione.</li><li>"
                "Rispondi restando in tema; per una questione diversa chiedi l'apertura di un "
                "nuovo argomento.</li></ul>",
            ),
            ("h2", "4. Moderazione"),
            (
                "p",
                "<ul><li>Il coordinatore e il team di supporto di ogni Comunità moderano le "
                "discussioni; la redazione del portale modera le aree comuni.</li><li>I "
                "moderatori possono spostare, chiudere o nascondere messaggi che violano "
                "queste regole, motivando l'intervento quando possibile.</li><li>Puoi "
                "segnalare un messaggio inappropriato con l'apposita funzione: la segnalazione "
                "è riservata.</li><li>In caso di violazioni gravi o ripetute l'account può "
                "essere sospeso, dopo averne informato l'interessato.</li></ul>",
            ),
            ("h2", "5. Materiali e diritti"),
            (
                "p",
                "<ul><li>Condividi solo documenti che hai il diritto di diffondere e cita "
                "sempre le fonti.</li><li>Le bozze dei gruppi di lavoro sono riservate al "
                "gruppo: non diffonderle all'esterno prima della validazione e della "
                "pubblicazione.</li><li>I materiali validati e pubblicati dalla Community "
                "sono messi a disposizione di tutti, di norma con licenza Creative Commons "
                "CC BY 4.0.</li></ul>",
            ),
            ("h2", "6. Dati personali e riservatezza"),
            (
                "p",
                "<ul><li>Non pubblicare dati personali di altre persone, in particolare di "
                "cittadini, né dati relativi a procedimenti in corso.</li><li>Non condividere "
                "password, configurazioni dei sistemi, indirizzi interni o dettagli di "
                "vulnerabilità non ancora risolte: nelle discussioni sulla sicurezza descrivi "
                "i problemi in modo generale.</li><li>Usa i recapiti degli altri partecipanti "
                "solo per le attività della Community.</li><li>Il trattamento dei tuoi dati è "
                'descritto nell\'<a page="privacy">informativa sulla privacy</a>.</li></ul>',
            ),
            ("h2", "7. Modifiche alle regole"),
            (
                "p",
                "<p>Le regole possono essere aggiornate; le modifiche rilevanti sono "
                "comunicate agli iscritti e, quando necessario, richiedono una nuova "
                "accettazione al primo accesso successivo. La data dell'ultima revisione è "
                "indicata in cima alla pagina.</p>",
            ),
            (
                "callout",
                "note",
                "Hai un dubbio?",
                '<p>Consulta le <a page="faq">domande frequenti</a> o scrivi alla redazione '
                "all'indirizzo indicato in fondo a ogni pagina.</p>",
            ),
        ],
    },
    {
        "key": "privacy",
        "slug": "informativa-privacy",
        "title": "Informativa sulla privacy",
        "summary": "Come trattiamo i dati personali di chi visita il portale e di chi si "
        "iscrive alla Community, ai sensi degli articoli 13 e 14 del Regolamento (UE) "
        "2016/679.",
        "updated_days_ago": 100,
        "body": [
            (
                "p",
                "<p>Questa informativa descrive come vengono trattati i dati personali di chi "
                "visita il portale della Community dei Comuni Digitali e di chi si iscrive "
                "per partecipare alle sue attività, ai sensi degli articoli 13 e 14 del "
                "Regolamento (UE) 2016/679 (GDPR) e del Codice in materia di protezione dei "
                "dati personali (d.lgs. 196/2003).</p>",
            ),
            ("h2", "Titolare del trattamento"),
            (
                "p",
                "<p>Titolare del trattamento è ANCI – Associazione Nazionale Comuni Italiani, "
                "che gestisce il portale nell'ambito del progetto <i>Il Sistema ANCI a "
                "supporto della digitalizzazione dei Comuni</i>. Il Responsabile della "
                "protezione dei dati è contattabile all'indirizzo "
                '<a href="mailto:dpo@comunidigitali.example">dpo@comunidigitali.example</a>.'
                "</p>",
            ),
            ("h2", "Quali dati trattiamo"),
            (
                "p",
                "<ul><li><b>Dati di identificazione</b> ricevuti da SPID o CIE al momento "
                "dell'accesso: nome, cognome, codice fiscale, indirizzo email.</li><li><b>Dati "
                "del profilo</b> che inserisci tu: Ente di appartenenza, ruolo o ufficio, "
                "recapiti per le attività della Community.</li><li><b>Dati di "
                "partecipazione</b>: adesioni alle Comunità di pratica e modalità "
                "(semplice o designato), dichiarazione di nomina, appartenenza ai gruppi di "
                "lavoro, messaggi, risposte ai sondaggi, consensi espressi e relative "
                "date.</li><li><b>Dati tecnici</b>: log di accesso e di sicurezza, indirizzo "
                "IP, tipo di browser.</li></ul>",
            ),
            ("h2", "Perché li trattiamo e su quale base giuridica"),
            (
                "p",
                "<ul><li>Gestire l'iscrizione, l'accesso e il profilo; permettere la "
                "partecipazione alle Comunità di pratica, ai gruppi di lavoro, alle "
                "discussioni e ai sondaggi; inviare le comunicazioni della Community e delle "
                "Comunità a cui hai aderito. Base giuridica: esecuzione di un compito di "
                "interesse pubblico (art. 6, par. 1, lett. e del GDPR) legato al progetto di "
                "supporto alla digitalizzazione dei Comuni.</li><li>Elaborare statistiche e "
                "analisi in forma aggregata e anonima sulle esigenze degli enti.</li><li>"
                "Garantire la sicurezza del portale e prevenire abusi. Base giuridica: "
                "interesse pubblico e obblighi di sicurezza del titolare.</li><li>Inviare "
                "comunicazioni facoltative, come newsletter, solo con il tuo consenso, che "
                "puoi revocare in qualsiasi momento dal profilo.</li></ul>",
            ),
            ("h2", "Chi vede i tuoi dati"),
            (
                "p",
                "<p>Nome, cognome ed Ente sono visibili agli altri iscritti accanto ai tuoi "
                "messaggi e negli elenchi dei partecipanti delle Comunità a cui aderisci. I "
                "recapiti sono visibili solo al coordinatore e al team di supporto delle "
                "Comunità a cui partecipi e alla redazione. I dati possono essere trattati dal "
                "Dipartimento per la trasformazione digitale per le finalità del progetto e "
                "dai fornitori che gestiscono l'infrastruttura del portale, nominati "
                "responsabili del trattamento. I dati sono conservati in data center situati "
                "nell'Unione europea e non sono trasferiti fuori dallo Spazio economico "
                "europeo.</p>",
            ),
            ("h2", "Per quanto tempo li conserviamo"),
            (
                "p",
                "<ul><li>I dati del profilo e di partecipazione fino alla cancellazione "
                "dell'account. Quando elimini l'account cancelliamo il profilo, le adesioni "
                "alle Comunità e ai gruppi di lavoro, le dichiarazioni e gli atti di nomina, i "
                "token per l'API, gli argomenti seguiti, le notifiche e le reazioni; i messaggi "
                "pubblicati restano visibili senza il tuo nome e il tuo Ente, firmati «ex "
                "partecipante».</li><li>L'indirizzo IP da cui pubblichi un messaggio nelle "
                "discussioni per 30 giorni, poi viene cancellato automaticamente.</li><li>Il "
                "registro delle operazioni rilevanti per la sicurezza (accessi della "
                "redazione, adesioni, provvedimenti, esportazioni, cancellazioni) per due "
                "anni, poi viene cancellato automaticamente.</li><li>I "
                "log tecnici per un massimo di dodici mesi, salvo "
                "necessità legate a incidenti di sicurezza.</li><li>Le risposte ai sondaggi "
                "in forma identificabile per il tempo necessario all'analisi, poi solo in "
                "forma aggregata.</li></ul>",
            ),
            ("h2", "I tuoi diritti"),
            (
                "p",
                "<p>Puoi chiedere in ogni momento l'accesso ai tuoi dati, la rettifica, la "
                "cancellazione, la limitazione del trattamento e opporti al trattamento "
                "(articoli 15-22 del GDPR). Dal profilo puoi scaricare una copia dei tuoi dati "
                "e chiedere la cancellazione dell'account. Se ritieni che il trattamento violi "
                "la normativa puoi presentare reclamo al Garante per la protezione dei dati "
                "personali.</p>",
            ),
            ("h2", "Cookie"),
            (
                "p",
                "<p>Il portale usa solo cookie tecnici necessari al funzionamento: il cookie di "
                "sessione per mantenere l'accesso, il cookie di protezione dei moduli e quello "
                "che ricorda la lingua scelta. Non usiamo cookie di profilazione né strumenti "
                "di tracciamento di terze parti, per questo non è richiesto un consenso.</p>",
            ),
            (
                "callout",
                "note",
                "Contatti",
                "<p>Per qualsiasi richiesta sui tuoi dati scrivi a "
                '<a href="mailto:privacy@comunidigitali.example">privacy@comunidigitali.'
                "example</a>. Ti risponderemo entro trenta giorni.</p>",
            ),
        ],
    },
    {
        "key": "accessibility",
        "slug": "dichiarazione-di-accessibilita",
        "title": "Dichiarazione di accessibilità",
        "summary": "Lo stato di conformità del portale ai requisiti di accessibilità, i "
        "contenuti non ancora accessibili e come segnalarci un problema.",
        "updated_days_ago": 60,
        "body": [
            (
                "p",
                "<p>ANCI si impegna a rendere accessibile il portale della Community dei "
                "Comuni Digitali, conformemente alla legge 9 gennaio 2004, n. 4, e alle Linee "
                "guida sull'accessibilità degli strumenti informatici emanate da AgID. Questa "
                "dichiarazione si applica al portale e alle sue aree riservate.</p>",
            ),
            ("h2", "Stato di conformità"),
            (
                "p",
                "<p>Il portale è <b>parzialmente conforme</b> ai requisiti della norma UNI "
                "CEI EN 301549 e alle WCAG 2.1 di livello AA, a causa dei casi di non "
                "conformità elencati di seguito. Il portale è costruito con Bootstrap Italia, "
                "la libreria di componenti per i siti della pubblica amministrazione, e viene "
                "verificato a ogni rilascio con test automatici e controlli manuali con "
                "tastiera e lettore di schermo.</p>",
            ),
            ("h2", "Contenuti non accessibili"),
            (
                "p",
                "<ul><li>Alcuni documenti PDF pubblicati prima dell'attuale versione dei kit "
                "potrebbero non avere una struttura di titoli completa: ne è in corso la "
                "revisione.</li><li>Le registrazioni dei webinar più vecchi non hanno ancora "
                "i sottotitoli; saranno aggiunti progressivamente.</li><li>Alcuni documenti "
                "caricati dai partecipanti nelle aree riservate possono non rispettare i "
                "requisiti: la redazione li verifica prima della pubblicazione nella sezione "
                "Risorse.</li></ul><p>Su richiesta forniamo i contenuti in un formato "
                "alternativo accessibile.</p>",
            ),
            ("h2", "Redazione della dichiarazione"),
            (
                "p",
                "<p>La dichiarazione è stata redatta sulla base di un'autovalutazione "
                "effettuata dalla redazione del portale ed è riesaminata almeno una volta "
                "all'anno. La data dell'ultimo aggiornamento è indicata in cima alla "
                "pagina.</p>",
            ),
            ("h2", "Meccanismo di feedback"),
            (
                "p",
                "<p>Se incontri un ostacolo nell'uso del portale o vuoi segnalare un contenuto "
                "non accessibile, scrivi a "
                '<a href="mailto:accessibilita@comunidigitali.example">accessibilita@'
                "comunidigitali.example</a> indicando la pagina e il problema riscontrato. Ti "
                "risponderemo entro trenta giorni.</p>",
            ),
            ("h2", "Procedura di attuazione"),
            (
                "p",
                "<p>In caso di risposta insoddisfacente o di mancata risposta entro trenta "
                "giorni, puoi inviare una segnalazione al Difensore civico per il digitale "
                "istituito presso AgID, secondo la procedura descritta sul sito dell'Agenzia "
                "per l'Italia Digitale.</p>",
            ),
        ],
    },
    {
        "key": "legal",
        "slug": "note-legali",
        "title": "Note legali",
        "summary": "Condizioni di utilizzo dei contenuti del portale, licenze, link esterni e "
        "responsabilità.",
        "updated_days_ago": 100,
        "body": [
            ("h2", "Titolarità del portale"),
            (
                "p",
                "<p>Il portale della Community dei Comuni Digitali è gestito da ANCI – "
                "Associazione Nazionale Comuni Italiani nell'ambito del progetto <i>Il Sistema "
                "ANCI a supporto della digitalizzazione dei Comuni</i>, realizzato con il "
                "Dipartimento per la trasformazione digitale della Presidenza del Consiglio "
                "dei Ministri e finanziato dall'Unione europea – NextGenerationEU.</p>",
            ),
            ("h2", "Licenza dei contenuti"),
            (
                "p",
                "<p>Salvo dove diversamente indicato, i testi, i kit documentali e i materiali "
                "validati e pubblicati dalla Community sono rilasciati con licenza Creative "
                "Commons Attribuzione 4.0 Internazionale (CC BY 4.0): puoi copiarli, "
                "adattarli e ridistribuirli, anche per il tuo Ente, citando la fonte «Community "
                "dei Comuni Digitali» e indicando se hai apportato modifiche.</p><p>Loghi, "
                "marchi e immagini di terzi restano dei rispettivi titolari e non sono coperti "
                "dalla licenza.</p>",
            ),
            ("h2", "Contenuti dei partecipanti"),
            (
                "p",
                "<p>I messaggi pubblicati nelle discussioni sono di responsabilità di chi li "
                "scrive e non rappresentano necessariamente la posizione di ANCI o del "
                'Dipartimento. Le <a page="rules">Regole della Community</a> stabiliscono che '
                "cosa è consentito e come funziona la moderazione. I documenti in bozza dei "
                "gruppi di lavoro non hanno valore ufficiale fino alla loro validazione e "
                "pubblicazione.</p>",
            ),
            ("h2", "Link esterni"),
            (
                "p",
                "<p>Il portale contiene collegamenti a siti di terzi, come l'Accademia dei "
                "Comuni Digitali o le piattaforme nazionali. Non siamo responsabili dei loro "
                "contenuti né delle loro politiche sulla privacy; il collegamento non implica "
                "approvazione dei servizi offerti.</p>",
            ),
            ("h2", "Limitazione di responsabilità"),
            (
                "p",
                "<p>I contenuti sono curati con attenzione ma hanno carattere informativo e di "
                "supporto: non sostituiscono la normativa né i pareri degli uffici "
                "competenti. Verifica sempre le fonti ufficiali prima di adottare atti o "
                "scelte organizzative. Il servizio può essere sospeso per manutenzione o per "
                "cause indipendenti dalla nostra volontà.</p>",
            ),
            ("h2", "Segnalazioni"),
            (
                "p",
                "<p>Per segnalare errori nei contenuti o usi impropri del materiale scrivi "
                '<a href="mailto:redazione@comunidigitali.example">alla redazione</a>.</p>',
            ),
        ],
    },
]

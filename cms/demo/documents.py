"""The text of the demo's PDF documents: kit documents and webinar slides.

See ``cms.demo.pdf`` for the structure. Text uses reportlab's inline markup (``<b>``, ``<i>``),
so a literal ampersand must be written ``&amp;``.
"""

KIT_SERIES = "Kit documentali"

KIT_DOCUMENTS = {
    # ---------------------------------------------------------------- cybersecurity kit
    "cyber-checklist": {
        "title": "Checklist di cybersicurezza per i piccoli Comuni",
        "short_title": "Checklist di cybersicurezza",
        "filename": "checklist-cybersicurezza-piccoli-comuni",
        "series": KIT_SERIES,
        "subtitle": "I controlli essenziali per proteggere dati e servizi anche senza un "
        "ufficio informatico",
        "audience": "Segretari comunali, Responsabili per la transizione al digitale e "
        "referenti informatici dei Comuni fino a 15.000 abitanti, da compilare insieme al "
        "fornitore che gestisce i sistemi.",
        "version": "Versione 1.0 - a cura della Comunità di pratica Cybersicurezza",
        "sections": [
            {
                "heading": "Come usare questa checklist",
                "blocks": [
                    (
                        "p",
                        "La checklist raccoglie i controlli che qualunque Comune dovrebbe "
                        "poter verificare, indipendentemente dalla dimensione. Non richiede "
                        "competenze specialistiche: molte domande possono essere girate al "
                        "fornitore che gestisce i sistemi, chiedendo una risposta scritta.",
                    ),
                    (
                        "ol",
                        [
                            "Individua una persona responsabile della compilazione, di norma il "
                            "Responsabile per la transizione al digitale o il Segretario comunale.",
                            "Per ogni controllo segna la casella solo se la misura è attiva "
                            "<b>e</b> documentata. Una misura che esiste solo a voce non conta.",
                            "Riporta i controlli non soddisfatti nel piano d'azione dell'ultima "
                            "sezione, con un responsabile e una scadenza.",
                            "Ripeti la verifica ogni sei mesi e dopo ogni cambio di fornitore o "
                            "di sistema rilevante.",
                        ],
                    ),
                    (
                        "note",
                        "<b>Attenzione:</b> la checklist compilata descrive i punti "
                        "deboli dell'ente. Conservala tra i documenti riservati e non "
                        "pubblicarla nelle discussioni della Community.",
                    ),
                ],
            },
            {
                "heading": "Governo e organizzazione",
                "blocks": [
                    (
                        "p",
                        "La sicurezza comincia dalle responsabilità: chi decide, chi "
                        "controlla, chi interviene quando qualcosa va storto.",
                    ),
                    (
                        "checklist",
                        [
                            "È stato nominato un referente per la sicurezza informatica e il "
                            "nominativo è noto a tutti gli uffici.",
                            "Esiste un elenco aggiornato dei fornitori ICT con i relativi "
                            "contatti di emergenza.",
                            "I contratti con i fornitori indicano chi è responsabile di backup, "
                            "aggiornamenti e gestione degli incidenti.",
                            "Il Comune ha adottato una procedura per la gestione degli incidenti "
                            "(vedi il modello incluso nel kit).",
                            "Il Responsabile della protezione dei dati è coinvolto nelle scelte "
                            "che riguardano i sistemi informativi.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Inventario di sistemi e dati",
                "blocks": [
                    (
                        "p",
                        "Non si può proteggere quello che non si conosce. L'inventario "
                        "serve anche a capire quali servizi sono critici e vanno ripristinati "
                        "per primi.",
                    ),
                    (
                        "checklist",
                        [
                            "Esiste un elenco dei computer, dei server e dei dispositivi di rete "
                            "in uso, con l'ufficio di assegnazione.",
                            "Sono elencati i servizi in cloud utilizzati (posta, protocollo, "
                            "anagrafe, tributi, sito web) e chi li fornisce.",
                            "Per ogni servizio è indicato quanto tempo il Comune può restare "
                            "senza di esso.",
                            "I dispositivi non più utilizzati vengono cancellati in modo sicuro "
                            "prima dello smaltimento.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Accessi e credenziali",
                "blocks": [
                    (
                        "p",
                        "La maggior parte degli attacchi parte da una password rubata o "
                        "indovinata. Queste misure riducono molto il rischio con costi "
                        "limitati.",
                    ),
                    (
                        "checklist",
                        [
                            "Ogni dipendente usa credenziali personali; non esistono account "
                            "condivisi tra più persone.",
                            "L'autenticazione a più fattori è attiva almeno per la posta "
                            "elettronica, gli accessi da remoto e gli account di "
                            "amministrazione.",
                            "Gli account di chi lascia l'ente vengono disattivati entro il "
                            "giorno di cessazione.",
                            "Le utenze di amministrazione sono separate da quelle usate per il "
                            "lavoro quotidiano.",
                            "Le password predefinite di router, stampanti e telecamere sono "
                            "state cambiate.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Backup e continuità",
                "blocks": [
                    (
                        "p",
                        "Un backup è utile solo se è recente, separato dai sistemi "
                        "principali e se qualcuno ha provato a ripristinarlo.",
                    ),
                    (
                        "checklist",
                        [
                            "I dati dei servizi essenziali vengono copiati almeno una volta al "
                            "giorno.",
                            "Almeno una copia è conservata offline o in un servizio non "
                            "modificabile dagli utenti dell'ente.",
                            "Negli ultimi sei mesi è stata fatta una prova di ripristino, con "
                            "esito documentato.",
                            "È noto chi deve essere chiamato per ripristinare i sistemi e in "
                            "quanto tempo può intervenire.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Aggiornamenti e protezione dei dispositivi",
                "blocks": [
                    (
                        "checklist",
                        [
                            "Sistemi operativi e programmi vengono aggiornati automaticamente o "
                            "entro pochi giorni dal rilascio delle correzioni di sicurezza.",
                            "Non ci sono in uso sistemi operativi fuori supporto; se ci sono, "
                            "sono isolati dalla rete e c'è un piano per sostituirli.",
                            "Su tutti i computer è attivo un software di protezione aggiornato.",
                            "Il sito web e i servizi esposti su internet sono aggiornati e "
                            "controllati dal fornitore.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Persone e formazione",
                "blocks": [
                    (
                        "checklist",
                        [
                            "Tutto il personale ha ricevuto la scheda di sensibilizzazione "
                            "inclusa nel kit.",
                            "Almeno una volta all'anno è proposto un momento formativo sulla "
                            "sicurezza, per esempio un corso dell'Accademia dei Comuni Digitali.",
                            "I dipendenti sanno a chi segnalare un'email sospetta o un "
                            "comportamento anomalo del computer.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Piano d'azione",
                "page_break": True,
                "blocks": [
                    (
                        "p",
                        "Riporta qui i controlli non soddisfatti. Parti da quelli che "
                        "proteggono i servizi più critici e da quelli a costo zero, come "
                        "l'attivazione dell'autenticazione a più fattori.",
                    ),
                    (
                        "table",
                        [
                            ["Controllo mancante", "Azione prevista", "Responsabile", "Entro il"],
                            [
                                "Esempio: prova di ripristino",
                                "Chiedere al fornitore una prova documentata",
                                "RTD",
                                "...",
                            ],
                            ["", "", "", ""],
                            ["", "", "", ""],
                            ["", "", "", ""],
                            ["", "", "", ""],
                        ],
                    ),
                    ("p", "Data della verifica: ____________ Compilata da: ______________________"),
                ],
            },
        ],
    },
    "cyber-incident": {
        "title": "Modello di procedura per la gestione degli incidenti informatici",
        "short_title": "Procedura incidenti informatici",
        "filename": "procedura-gestione-incidenti-informatici",
        "series": KIT_SERIES,
        "subtitle": "Chi fa che cosa, e in quali tempi, quando i sistemi del Comune sono "
        "compromessi",
        "audience": "Segretari comunali, RTD e referenti informatici. Il modello va adattato "
        "all'organizzazione dell'ente e adottato con un atto formale.",
        "version": "Versione 1.0 - modello da adattare",
        "sections": [
            {
                "heading": "Scopo e ambito",
                "blocks": [
                    (
                        "p",
                        "La procedura stabilisce come il Comune riconosce, gestisce e "
                        "comunica un incidente che compromette la riservatezza, l'integrità o "
                        "la disponibilità di dati e servizi. Si applica a tutti gli uffici, ai "
                        "sistemi gestiti direttamente e a quelli affidati a fornitori esterni.",
                    ),
                    (
                        "p",
                        "Sono esempi di incidente: file cifrati da un ransomware, una "
                        "casella di posta usata da altri per inviare messaggi, un servizio "
                        "online irraggiungibile per un attacco, la perdita di un computer "
                        "portatile con dati personali, l'invio di documenti al destinatario "
                        "sbagliato.",
                    ),
                ],
            },
            {
                "heading": "Ruoli",
                "blocks": [
                    (
                        "table",
                        [
                            ["Ruolo", "Chi è (da compilare)", "Compiti"],
                            [
                                "Referente per la sicurezza",
                                "",
                                "Riceve le segnalazioni, valuta la "
                                "gravità, coordina la risposta e tiene il registro.",
                            ],
                            [
                                "Segretario comunale",
                                "",
                                "Decide le misure organizzative e le "
                                "comunicazioni esterne, informa il Sindaco.",
                            ],
                            [
                                "Fornitore ICT",
                                "",
                                "Analizza i sistemi, contiene l'incidente, "
                                "ripristina i servizi e documenta l'intervento.",
                            ],
                            [
                                "Responsabile protezione dati",
                                "",
                                "Valuta se c'è una violazione di "
                                "dati personali e supporta la notifica al Garante.",
                            ],
                            [
                                "Tutti i dipendenti",
                                "",
                                "Segnalano subito ogni anomalia e non cancellano nulla.",
                            ],
                        ],
                    ),
                ],
            },
            {
                "heading": "Le fasi della gestione",
                "blocks": [
                    ("h3", "1. Segnalazione (subito)"),
                    (
                        "p",
                        "Chi nota un'anomalia avvisa il referente per telefono e, quando "
                        "possibile, per email da un altro dispositivo. Non spegne il computer, "
                        "ma lo scollega dalla rete togliendo il cavo o disattivando il Wi-Fi.",
                    ),
                    ("h3", "2. Valutazione (entro 2 ore)"),
                    (
                        "p",
                        "Il referente, con il fornitore, stabilisce quali sistemi e dati "
                        "sono coinvolti, se l'incidente è ancora in corso e quali servizi ai "
                        "cittadini sono interrotti. Classifica la gravità come bassa, media o "
                        "alta.",
                    ),
                    ("h3", "3. Contenimento"),
                    (
                        "p",
                        "Si isolano i sistemi colpiti, si cambiano le credenziali "
                        "compromesse, si bloccano gli accessi da remoto non indispensabili. Si "
                        "conservano log e copie dei file utili all'analisi.",
                    ),
                    ("h3", "4. Comunicazioni obbligatorie"),
                    (
                        "ul",
                        [
                            "Se sono coinvolti dati personali, il Responsabile della protezione "
                            "dei dati valuta la notifica al Garante entro 72 ore dalla scoperta "
                            "e la comunicazione agli interessati.",
                            "Se l'ente rientra tra i soggetti tenuti, l'incidente va notificato "
                            "all'Agenzia per la cybersicurezza nazionale nei tempi previsti "
                            "dalla normativa vigente.",
                            "In caso di reato, come un'estorsione, si presenta denuncia alla "
                            "Polizia Postale.",
                        ],
                    ),
                    ("h3", "5. Ripristino"),
                    (
                        "p",
                        "I servizi vengono ripristinati da backup verificati, partendo da "
                        "quelli indicati come critici nell'inventario. Prima di riattivarli si "
                        "controlla che la causa dell'incidente sia stata eliminata.",
                    ),
                    ("h3", "6. Chiusura e lezioni apprese (entro 30 giorni)"),
                    (
                        "p",
                        "Il referente redige una breve relazione: che cosa è successo, "
                        "come è stato gestito, che cosa cambiare. Le misure individuate "
                        "entrano nel piano d'azione della checklist.",
                    ),
                ],
            },
            {
                "heading": "Comunicare con cittadini e stampa",
                "blocks": [
                    (
                        "p",
                        "Se i servizi al pubblico sono interrotti, il Comune pubblica sul "
                        "sito un avviso chiaro con i canali alternativi disponibili, senza "
                        "dettagli tecnici che potrebbero favorire altri attacchi. Le "
                        "dichiarazioni alla stampa sono concordate tra Sindaco e Segretario.",
                    ),
                    (
                        "note",
                        "Non pagare riscatti e non contattare gli autori di un "
                        "attacco: oltre a non garantire il recupero dei dati, espone l'ente a "
                        "ulteriori rischi.",
                    ),
                ],
            },
            {
                "heading": "Registro degli incidenti",
                "blocks": [
                    (
                        "p",
                        "Ogni incidente, anche se risolto in pochi minuti, viene annotato "
                        "nel registro. Le informazioni servono a riconoscere problemi "
                        "ricorrenti e a dimostrare la corretta gestione.",
                    ),
                    (
                        "table",
                        [
                            ["Data e ora", "Descrizione", "Gravità", "Dati personali", "Esito"],
                            ["", "", "", "sì / no", ""],
                            ["", "", "", "sì / no", ""],
                            ["", "", "", "sì / no", ""],
                        ],
                    ),
                ],
            },
        ],
    },
    "cyber-awareness": {
        "title": "Sicurezza informatica: cinque abitudini per chi lavora in Comune",
        "short_title": "Scheda per il personale",
        "filename": "scheda-sensibilizzazione-personale",
        "series": KIT_SERIES,
        "subtitle": "Una scheda da distribuire a tutti i dipendenti e agli amministratori",
        "audience": "Tutto il personale del Comune, gli amministratori e i collaboratori che "
        "usano i sistemi dell'ente.",
        "version": "Versione 1.0",
        "sections": [
            {
                "heading": "Diffida delle email urgenti",
                "blocks": [
                    (
                        "p",
                        "La maggior parte degli attacchi inizia con un messaggio che "
                        "chiede di agire in fretta: pagare una fattura, aprire un allegato, "
                        "confermare una password. Se un messaggio ti mette fretta, fermati.",
                    ),
                    (
                        "ul",
                        [
                            "Controlla l'indirizzo del mittente, non solo il nome visualizzato.",
                            "Non aprire allegati inattesi, anche se sembrano arrivare da un "
                            "collega o da un altro ente: chiedi conferma per telefono.",
                            "Non inserire mai le tue credenziali in una pagina raggiunta da un "
                            "link ricevuto per email.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Proteggi le tue credenziali",
                "blocks": [
                    (
                        "ul",
                        [
                            "Usa password lunghe, diverse per ogni servizio; una frase di quattro "
                            "o cinque parole è più sicura e più facile da ricordare.",
                            "Attiva l'autenticazione a più fattori quando è disponibile.",
                            "Non condividere le credenziali con i colleghi, neanche durante le "
                            "ferie: chiedi che venga configurata una delega.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Aggiorna e blocca",
                "blocks": [
                    (
                        "ul",
                        [
                            "Accetta gli aggiornamenti proposti dal sistema invece di rimandarli.",
                            "Blocca lo schermo ogni volta che ti allontani dalla scrivania.",
                            "Non collegare chiavette o dispositivi personali ai computer "
                            "dell'ufficio.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Tratta i dati con cura",
                "blocks": [
                    (
                        "ul",
                        [
                            "Salva i documenti nelle cartelle condivise dell'ente, non sul "
                            "desktop o su servizi personali.",
                            "Prima di inviare un documento con dati personali controlla due "
                            "volte il destinatario.",
                            "Non lasciare stampe con dati personali sulla stampante o sulla "
                            "scrivania.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Segnala subito",
                "blocks": [
                    (
                        "p",
                        "Hai cliccato su un link sospetto? Il computer si comporta in modo "
                        "strano? Segnalalo subito al referente per la sicurezza: un errore "
                        "segnalato in pochi minuti si risolve quasi sempre, uno nascosto può "
                        "bloccare tutto il Comune.",
                    ),
                    (
                        "note",
                        "<b>Referente per la sicurezza del Comune:</b> "
                        "______________________ <b>Telefono:</b> ______________",
                    ),
                ],
            },
        ],
    },
    # ---------------------------------------------------------------- competence centre kit
    "competence-guide": {
        "title": "Avviare un Centro di competenze digitali territoriale",
        "short_title": "Guida all'avvio del Centro di competenze",
        "filename": "guida-avvio-centro-competenze-digitali",
        "series": KIT_SERIES,
        "subtitle": "Guida alla progettazione e all'avvio, dalla fase preparatoria alla "
        "mappatura di risorse e competenze",
        "audience": "Sindaci, Segretari comunali e RTD dei Comuni che vogliono mettere in "
        "comune competenze e servizi digitali; Unioni e Consorzi di comuni.",
        "version": "Versione 1.0 - rielaborazione di una proposta di ReteComuni - ANCI Lombardia",
        "sections": [
            {
                "heading": "Perché un Centro di competenze",
                "blocks": [
                    (
                        "p",
                        "La trasformazione digitale chiede ai Comuni competenze che pochi "
                        "enti possono permettersi da soli: progettazione dei servizi, gestione "
                        "dei contratti ICT, sicurezza, protezione dei dati, partecipazione ai "
                        "bandi. Un Centro di competenze digitali territoriale mette in rete gli "
                        "enti di un'area per condividere conoscenze, persone e soluzioni.",
                    ),
                    (
                        "p",
                        "Il Centro non è un nuovo ufficio che si sostituisce a quelli "
                        "comunali: è un nodo che coordina, facilita e supporta, lasciando a "
                        "ogni ente le proprie decisioni.",
                    ),
                ],
            },
            {
                "heading": "Tre livelli di relazione tra gli enti",
                "blocks": [
                    (
                        "p",
                        "La prima scelta riguarda il tipo di legame tra gli enti. I tre "
                        "livelli non si escludono: un Centro può partire dal coordinamento e "
                        "crescere nel tempo.",
                    ),
                    (
                        "table",
                        [
                            ["Livello", "Che cosa significa", "Come funziona la rete"],
                            [
                                "Coordinamento",
                                "Dare uniformità e coerenza all'azione di enti che "
                                "non hanno rapporti gerarchici tra loro.",
                                "Nodi coordinati senza "
                                "gerarchia; programmazione e aggiustamenti reciproci; strategie "
                                "coordinate.",
                            ],
                            [
                                "Collaborazione",
                                "Lavorare insieme su attività di interesse "
                                "comune, unendo gli sforzi.",
                                "Nodi senza gerarchia; supporto "
                                "reciproco; strategie coordinate o condivise.",
                            ],
                            [
                                "Cooperazione",
                                "Agire in comune per raggiungere un fine determinato.",
                                "A un nodo viene assegnata una responsabilità e gli "
                                "altri vi si affidano; strategie condivise.",
                            ],
                        ],
                    ),
                ],
            },
            {
                "heading": "Ambiti di attività",
                "blocks": [
                    ("h3", "Coordinamento"),
                    (
                        "ul",
                        [
                            "<b>Organizzazione</b>: tavoli di lavoro, percorsi di formazione.",
                            "<b>Facilitazione</b>: azioni collaborative e di supporto reciproco.",
                            "<b>Orientamento</b>: supporto strategico alle amministrazioni.",
                            "<b>Help desk</b>: risposta ai problemi quotidiani.",
                            "<b>Bandi e finanziamenti</b>: supporto per accedervi.",
                        ],
                    ),
                    ("h3", "Collaborazione, negli ambiti definiti dalla convenzione"),
                    (
                        "ul",
                        [
                            "sviluppo delle competenze del personale;",
                            "pianificazione e progettazione, condividendo modelli e strategie;",
                            "sviluppo di sistemi e servizi, per attuare norme, regolamenti e il "
                            "Piano triennale per l'informatica nella PA;",
                            "supporto reciproco tecnico e amministrativo.",
                        ],
                    ),
                    ("h3", "Cooperazione, quando serve o conviene"),
                    (
                        "ul",
                        [
                            "ricorso al mercato con approvvigionamenti comuni di servizi e "
                            "soluzioni;",
                            "partecipazione congiunta a progetti finanziati regionali, nazionali "
                            "ed europei;",
                            "adozione di soluzioni messe a disposizione da altre amministrazioni, "
                            "in riuso o in sussidiarietà.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Fase preparatoria",
                "blocks": [
                    (
                        "p",
                        "Prima di firmare qualsiasi accordo, gli enti promotori costruiscono "
                        "insieme una base di conoscenza comune.",
                    ),
                    (
                        "ol",
                        [
                            "Individuare gli enti promotori e un referente politico e uno tecnico "
                            "per ciascuno.",
                            "Scegliere l'ente capofila e la collocazione istituzionale del "
                            "Centro: un'Unione di comuni, un Comune capofila con convenzione, "
                            "una società in house.",
                            "Far compilare a ogni Comune la scheda di rilevazione inclusa nel kit.",
                            "Analizzare insieme i risultati e scegliere i primi due o tre ambiti "
                            "di attività.",
                            "Redigere la convenzione, indicando ambiti, impegni reciproci, "
                            "risorse e modalità di governo.",
                        ],
                    ),
                ],
            },
            {
                "heading": "La rilevazione: fabbisogni, criticità, competenze",
                "blocks": [
                    (
                        "p",
                        "La rilevazione permette di descrivere ciascun Comune secondo tre "
                        "dimensioni:",
                    ),
                    (
                        "ul",
                        [
                            "<b>Fabbisogni</b>: bisogni di formazione e di confronto, di supporto "
                            "e di affiancamento nello sviluppo di sistemi e servizi.",
                            "<b>Criticità</b>: problemi nei processi interni o nelle relazioni "
                            "con l'esterno, guardando al contenuto del sistema informativo e non "
                            "solo agli strumenti informatici.",
                            "<b>Competenze</b>: esperienze acquisite nei progetti dell'ente o su "
                            "temi di interesse comune, che possono essere messe a disposizione "
                            "degli altri.",
                        ],
                    ),
                    (
                        "note",
                        "Le competenze sono spesso la sorpresa della rilevazione: anche "
                        "un Comune piccolo può avere un'esperienza preziosa per tutta la rete.",
                    ),
                ],
            },
            {
                "heading": "Fase di avvio",
                "blocks": [
                    (
                        "p",
                        "Con la convenzione firmata, il Centro avvia le attività partendo "
                        "da due mappature:",
                    ),
                    (
                        "ul",
                        [
                            "<b>mappatura organizzativa</b>: chi fa che cosa in ciascun ente, chi "
                            "sono i referenti, come circolano le informazioni;",
                            "<b>mappatura di risorse e competenze</b>: tecnologie e modello di "
                            "sistema informativo adottato, personale interno e supporto esterno, "
                            "progetti ed esperienze (buone pratiche, riuso), altre "
                            "specializzazioni ed eccellenze.",
                        ],
                    ),
                    (
                        "p",
                        "Nei primi sei mesi conviene puntare su risultati visibili: un help "
                        "desk condiviso, un calendario di formazione, una gara comune già "
                        "pianificata. Risultati concreti rafforzano la fiducia tra gli enti e "
                        "rendono più semplice allargare la rete.",
                    ),
                ],
            },
        ],
    },
    "competence-survey": {
        "title": "Scheda di rilevazione per i Comuni aderenti al Centro di competenze",
        "short_title": "Scheda di rilevazione",
        "filename": "scheda-rilevazione-centro-competenze",
        "series": KIT_SERIES,
        "subtitle": "Fabbisogni, criticità, risorse e competenze di ciascun Comune",
        "audience": "Il referente tecnico di ciascun Comune aderente, con il supporto del "
        "Segretario comunale.",
        "version": "Versione 1.0",
        "sections": [
            {
                "heading": "Dati del Comune",
                "blocks": [
                    (
                        "table",
                        [
                            ["Informazione", "Risposta"],
                            ["Comune", ""],
                            ["Abitanti", ""],
                            ["Referente politico (nome e delega)", ""],
                            ["Referente tecnico (nome e ufficio)", ""],
                            ["Responsabile per la transizione al digitale", ""],
                            ["Forme associate già attive (Unione, convenzioni)", ""],
                        ],
                    ),
                ],
            },
            {
                "heading": "Tecnologie e sistema informativo",
                "blocks": [
                    (
                        "p",
                        "Descrivi il modello di sistema informativo adottato: quali "
                        "applicativi gestionali sono in uso, se sono installati presso l'ente o "
                        "in cloud, chi li fornisce.",
                    ),
                    (
                        "table",
                        [
                            ["Area", "Applicativo e fornitore", "Installato / cloud", "Note"],
                            ["Protocollo e gestione documentale", "", "", ""],
                            ["Anagrafe e servizi demografici", "", "", ""],
                            ["Tributi e pagamenti (pagoPA)", "", "", ""],
                            ["Contabilità e personale", "", "", ""],
                            ["Sito web e servizi online", "", "", ""],
                        ],
                    ),
                ],
            },
            {
                "heading": "Risorse IT",
                "blocks": [
                    (
                        "checklist",
                        [
                            "L'ente ha personale interno dedicato all'informatica (indicare "
                            "quante persone e con quale impegno).",
                            "L'assistenza è affidata a un fornitore esterno con contratto di "
                            "manutenzione.",
                            "L'ente si avvale di servizi condivisi con altri enti (Unione, "
                            "Provincia, società in house).",
                            "Esiste un budget annuale dedicato all'ICT.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Fabbisogni",
                "blocks": [
                    (
                        "p",
                        "Indica per ogni area il livello di bisogno: 1 nessuno, 2 basso, 3 "
                        "medio, 4 alto.",
                    ),
                    (
                        "table",
                        [
                            ["Area", "Formazione", "Confronto tra enti", "Affiancamento"],
                            ["Servizi online e piattaforme nazionali", "", "", ""],
                            ["Sicurezza informatica", "", "", ""],
                            ["Protezione dei dati personali", "", "", ""],
                            ["Acquisti ICT e contratti", "", "", ""],
                            ["Bandi e progetti finanziati", "", "", ""],
                        ],
                    ),
                ],
            },
            {
                "heading": "Criticità",
                "blocks": [
                    (
                        "p",
                        "Descrivi brevemente i tre problemi principali, distinguendo tra "
                        "processi interni (per esempio: passaggi di carta tra uffici, dati "
                        "inseriti più volte) e rapporti con l'esterno (cittadini, imprese, altri "
                        "enti). Concentrati sui contenuti e sui processi, non solo sugli "
                        "strumenti.",
                    ),
                    (
                        "table",
                        [
                            ["Criticità", "Interna / esterna", "Effetti"],
                            ["1.", "", ""],
                            ["2.", "", ""],
                            ["3.", "", ""],
                        ],
                    ),
                ],
            },
            {
                "heading": "Progetti, esperienze e competenze da condividere",
                "blocks": [
                    (
                        "p",
                        "Elenca i progetti conclusi o in corso che potrebbero essere utili "
                        "ad altri Comuni: buone pratiche, soluzioni in riuso, competenze "
                        "specialistiche del personale, eccellenze.",
                    ),
                    (
                        "table",
                        [
                            ["Progetto o competenza", "Breve descrizione", "Contatto"],
                            ["", "", ""],
                            ["", "", ""],
                            ["", "", ""],
                        ],
                    ),
                    (
                        "p",
                        "Data di compilazione: ____________ Compilata da: ______________________",
                    ),
                ],
            },
        ],
    },
    # ---------------------------------------------------------------- Mappa kit
    "map-guide": {
        "title": "Mappa dei Comuni Digitali: guida alla compilazione del questionario",
        "short_title": "Guida al questionario",
        "filename": "guida-questionario-mappa-comuni-digitali",
        "series": KIT_SERIES,
        "subtitle": "Come prepararsi, chi coinvolgere e quali dati raccogliere prima di iniziare",
        "audience": "Referenti comunali incaricati della compilazione e Responsabili per la "
        "transizione al digitale.",
        "version": "Versione 1.0",
        "sections": [
            {
                "heading": "Che cos'è la Mappa dei Comuni Digitali",
                "blocks": [
                    (
                        "p",
                        "La Mappa dei Comuni Digitali è una rilevazione sullo stato della "
                        "digitalizzazione dei Comuni italiani, promossa nell'ambito del "
                        "progetto <i>Il Sistema ANCI a supporto della digitalizzazione dei "
                        "Comuni</i>. Vuole conoscere, in forma aggregata, il contesto in cui gli "
                        "enti affrontano trasformazione digitale, semplificazione e "
                        "riorganizzazione interna.",
                    ),
                    (
                        "p",
                        "Dopo la raccolta dei dati vengono pubblicati un report e strumenti "
                        "interattivi di analisi. Ogni Comune che partecipa riceve una "
                        "rappresentazione del proprio percorso e può confrontarsi con gli "
                        "altri.",
                    ),
                ],
            },
            {
                "heading": "Prima di iniziare",
                "blocks": [
                    (
                        "checklist",
                        [
                            "Il Comune ha ricevuto le credenziali personalizzate per accedere "
                            "alla piattaforma della rilevazione.",
                            "È stato individuato un referente che coordina la compilazione.",
                            "È chiaro quale versione compilare: quella semplificata per i Comuni "
                            "sotto i 5.000 abitanti, quella completa per gli altri.",
                            "I colleghi degli uffici coinvolti sono stati avvisati e sanno entro "
                            "quando fornire le informazioni.",
                        ],
                    ),
                    (
                        "note",
                        "Se le credenziali non sono arrivate o sono andate perse, "
                        "scrivere a mappacomunidigitali@ancidigitale.it per l'accreditamento.",
                    ),
                ],
            },
            {
                "heading": "Chi coinvolgere",
                "blocks": [
                    (
                        "table",
                        [
                            ["Ufficio", "Informazioni di cui è fonte"],
                            [
                                "Segreteria generale",
                                "Organizzazione, atti di indirizzo, forme "
                                "associate, nomina del RTD.",
                            ],
                            [
                                "Ufficio informatico o fornitore",
                                "Applicativi, infrastruttura, cloud, sicurezza, assistenza.",
                            ],
                            ["Servizi demografici", "Servizi online, ANPR, certificati digitali."],
                            [
                                "Ragioneria e tributi",
                                "Pagamenti con pagoPA, spesa ICT, finanziamenti PNRR.",
                            ],
                            [
                                "Ufficio relazioni con il pubblico",
                                "Canali di contatto, app IO, soddisfazione degli utenti.",
                            ],
                        ],
                    ),
                ],
            },
            {
                "heading": "Dati da preparare",
                "blocks": [
                    (
                        "ul",
                        [
                            "numero di dipendenti e quanti si occupano di informatica, anche "
                            "parzialmente;",
                            "elenco dei servizi online disponibili e dei canali di accesso (SPID, "
                            "CIE);",
                            "piattaforme nazionali in uso: pagoPA, app IO, ANPR, PDND, "
                            "notifiche digitali;",
                            "progetti finanziati dal PNRR e loro stato di avanzamento;",
                            "spesa ICT dell'ultimo anno, anche approssimativa;",
                            "iniziative di formazione digitale del personale.",
                        ],
                    ),
                    (
                        "p",
                        "Quando un dato non è disponibile è meglio dichiararlo che "
                        "stimarlo a caso: le risposte servono a fotografare la situazione reale, "
                        "non a dare un voto all'ente.",
                    ),
                ],
            },
            {
                "heading": "Consigli per la compilazione",
                "blocks": [
                    (
                        "ol",
                        [
                            "Leggi tutto il questionario prima di rispondere e distribuisci le "
                            "sezioni agli uffici competenti.",
                            "Raccogli le risposte in un documento condiviso, poi inseriscile "
                            "nella piattaforma in una sola sessione.",
                            "Salva spesso e annota le scelte dubbie, per poterle spiegare in "
                            "seguito.",
                            "Prima di inviare, fai rileggere le risposte al RTD o al Segretario.",
                        ],
                    ),
                ],
            },
        ],
    },
    "map-report": {
        "title": "Leggere il report della Mappa dei Comuni Digitali",
        "short_title": "Guida alla lettura del report",
        "filename": "guida-lettura-report-mappa",
        "series": KIT_SERIES,
        "subtitle": "Dal quadro restituito al Comune a un'agenda digitale con priorità, "
        "responsabili e tempi",
        "audience": "Sindaci, Segretari comunali e RTD dei Comuni che hanno partecipato alla "
        "rilevazione.",
        "version": "Versione 1.0",
        "sections": [
            {
                "heading": "A che cosa serve il report",
                "blocks": [
                    (
                        "p",
                        "Il report restituisce al Comune un quadro del proprio livello di "
                        "digitalizzazione, area per area, e lo colloca rispetto agli enti di "
                        "dimensione e territorio simili. Non è una classifica: serve a capire "
                        "dove si trova l'ente e da dove conviene ripartire.",
                    ),
                ],
            },
            {
                "heading": "Come è organizzato",
                "blocks": [
                    (
                        "ul",
                        [
                            "<b>Sintesi</b>: i punti di forza e le aree di miglioramento "
                            "principali.",
                            "<b>Aree</b>: organizzazione e competenze, servizi online, "
                            "piattaforme nazionali, infrastruttura e sicurezza, dati.",
                            "<b>Confronto</b>: la posizione del Comune rispetto agli enti simili.",
                            "<b>Indicazioni</b>: i passi suggeriti in base alle risposte.",
                        ],
                    ),
                ],
            },
            {
                "heading": "Leggere il confronto con gli altri enti",
                "blocks": [
                    (
                        "p",
                        "Il confronto ha senso solo tra enti comparabili. Prima di trarre "
                        "conclusioni verifica il gruppo di riferimento usato, per popolazione e "
                        "territorio, e ricorda che un valore basso in un'area può dipendere da "
                        "scelte organizzative, come un servizio gestito in forma associata.",
                    ),
                    (
                        "note",
                        "Un buon uso del confronto: cercare nella Community i Comuni "
                        "simili che hanno risultati migliori in un'area e chiedere come ci sono "
                        "riusciti.",
                    ),
                ],
            },
            {
                "heading": "Dal report all'agenda digitale",
                "blocks": [
                    (
                        "ol",
                        [
                            "Scegli al massimo tre priorità tra le aree di miglioramento, "
                            "privilegiando quelle con effetti diretti sui cittadini.",
                            "Per ogni priorità definisci un obiettivo misurabile, un responsabile "
                            "e una scadenza.",
                            "Verifica quali risorse servono e se sono disponibili finanziamenti "
                            "o soluzioni in riuso.",
                            "Porta l'agenda all'attenzione della Giunta e comunicala al personale.",
                            "Alla prossima rilevazione confronta i risultati con quelli attuali.",
                        ],
                    ),
                    (
                        "table",
                        [
                            ["Priorità", "Obiettivo misurabile", "Responsabile", "Scadenza"],
                            [
                                "Esempio: pagamenti online",
                                "Tutti i servizi a domanda individuale pagabili con pagoPA",
                                "Ragioneria",
                                "...",
                            ],
                            ["", "", "", ""],
                            ["", "", "", ""],
                        ],
                    ),
                ],
            },
            {
                "heading": "Dove trovare supporto",
                "blocks": [
                    (
                        "ul",
                        [
                            "i corsi gratuiti dell'Accademia dei Comuni Digitali, organizzati in "
                            "tre livelli;",
                            "le Comunità di pratica della Community, per confrontarsi con altri "
                            "enti sugli stessi temi;",
                            "i kit documentali, come quello per avviare un Centro di competenze "
                            "digitali con i Comuni vicini.",
                        ],
                    ),
                ],
            },
        ],
    },
}

WEBINAR_SLIDES = {
    "slides-community": {
        "title": "Come funziona la Community: iscrizione, Comunità di pratica e ruoli",
        "filename": "slide-webinar-come-funziona-la-community",
        "subtitle": "Webinar di presentazione del portale",
        "speakers": ["Chiara Lombardi - Redazione del portale", "Paolo Ferri - Referente ANCI/DTD"],
        "slides": [
            {
                "title": "La Community in breve",
                "bullets": [
                    "Parte del progetto <i>Il Sistema ANCI a supporto della digitalizzazione dei "
                    "Comuni</i> (ANCI e Dipartimento per la trasformazione digitale, "
                    "NextGenerationEU)",
                    "Per dipendenti e amministratori di Comuni, Unioni, consorzi, società in house",
                    "Accanto all'Accademia dei Comuni Digitali e alla Mappa dei Comuni Digitali",
                ],
            },
            {
                "title": "Primo accesso = iscrizione",
                "bullets": [
                    "Accesso con SPID o CIE dal pulsante Accedi",
                    "Accettazione delle Regole della Community e consenso al trattamento dei dati",
                    "Profilo: Ente di appartenenza e recapiti per le attività",
                    "Iscrizione gratuita e personale",
                ],
            },
            {
                "title": "Che cosa vede un iscritto",
                "bullets": [
                    "Area generale: notizie, kit documentali, webinar, sondaggi",
                    "Elenco delle Comunità di pratica a cui aderire",
                ],
            },
            {
                "title": "Aderire a una Comunità di pratica",
                "bullets": [
                    "Pulsante <b>Aderisci</b> nella pagina della Comunità",
                    "<b>Partecipante semplice</b>: mailing list, discussioni (risposte), sondaggi, "
                    "validazione dei materiali, eventi",
                    "<b>Partecipante designato</b>: nomina dell'Ente firmata da Sindaco o RTD; "
                    "apre argomenti, entra nei gruppi di lavoro, scrive i materiali",
                ],
                "note": "Si può aderire a più Comunità, anche con ruoli diversi.",
            },
            {
                "title": "Chi guida una Comunità",
                "bullets": [
                    "Un coordinatore",
                    "Un team di supporto: referente ANCI/DTD, referente nazionale sul tema, "
                    "3-5 esperti di dominio volontari",
                    "Piano di lavoro con obiettivi e cronoprogramma, gruppi di lavoro sui "
                    "sotto-temi",
                ],
            },
            {
                "title": "Dai gruppi di lavoro alle Risorse",
                "bullets": [
                    "Le bozze restano nello spazio del gruppo",
                    "Validazione da parte dei partecipanti prima della pubblicazione",
                    "Materiali finali nella sezione Risorse, con licenza CC BY 4.0",
                ],
            },
        ],
    },
    "slides-cyber": {
        "title": "Misure minime di sicurezza nei Comuni: da dove partire",
        "filename": "slide-webinar-misure-minime-sicurezza",
        "subtitle": "Comunità di pratica Cybersicurezza",
        "speakers": [
            "Laura Bellini - Coordinatrice della Comunità di pratica",
            "Marco De Santis - Esperto di dominio",
        ],
        "slides": [
            {
                "title": "Perché i piccoli Comuni",
                "bullets": [
                    "Pochi o nessun informatico interno, molti servizi affidati a fornitori",
                    "Gli attacchi automatici non guardano la dimensione dell'ente",
                    "Un'interruzione di anagrafe o protocollo ferma tutto il Comune",
                ],
            },
            {
                "title": "1. Conoscere i propri sistemi",
                "bullets": [
                    "Inventario di dispositivi, servizi in cloud e fornitori",
                    "Per ogni servizio: quanto tempo possiamo restarne senza?",
                    "Contatti di emergenza dei fornitori sempre a portata di mano",
                ],
            },
            {
                "title": "2. Credenziali",
                "bullets": [
                    "Account personali, mai condivisi",
                    "Autenticazione a più fattori su posta, accessi remoti, amministrazione",
                    "Disattivare subito gli account di chi lascia l'ente",
                ],
            },
            {
                "title": "3. Backup che funzionano",
                "bullets": [
                    "Copia giornaliera dei dati essenziali",
                    "Almeno una copia offline o non modificabile",
                    "Una prova di ripristino documentata ogni sei mesi",
                ],
            },
            {
                "title": "4. Aggiornamenti e dispositivi",
                "bullets": [
                    "Aggiornamenti automatici o entro pochi giorni",
                    "Nessun sistema fuori supporto collegato alla rete",
                    "Password predefinite di router e stampanti cambiate",
                ],
            },
            {
                "title": "5. Quando qualcosa va storto",
                "bullets": [
                    "Scollegare dalla rete, non spegnere, avvisare subito il referente",
                    "Valutazione entro due ore, contenimento, ripristino da backup",
                    "Dati personali coinvolti: valutare la notifica al Garante entro 72 ore",
                ],
                "note": "Il modello di procedura è nel kit «Cybersicurezza nei piccoli Comuni».",
            },
            {
                "title": "Le persone prima di tutto",
                "bullets": [
                    "Una scheda di cinque abitudini per tutto il personale",
                    "Corsi gratuiti dell'Accademia dei Comuni Digitali",
                    "Segnalare un errore subito è sempre la scelta giusta",
                ],
            },
        ],
    },
}

"""English strings for the demo's English tree (wagtail-localize).

Keys are page keys (see ``cms.demo.content``); values map a translatable field to its English
text, or, for rich text and StreamField fields, to the list of English segments in source order
(wagtail-localize splits those fields into one segment per paragraph, list item, heading…).
Links inside a segment keep their ``<a id="a1">`` placeholders. Whatever is not listed here
falls back to the Italian source, as wagtail-localize does for untranslated strings.
"""

PAGES = {
    "home": {
        "title": "Digital Municipalities Community",
        "slug": "home-en",
        "seo_title": "Digital Municipalities Community – digital transformation of local "
        "authorities",
        "search_description": "The portal where staff and elected officials of Italian local "
        "authorities discuss digital transformation, work in communities of practice and share "
        "kits and webinars.",
        "hero_title": "Innovating municipalities, together",
        "hero_text": "The place where people working in Italian local authorities discuss "
        "digital transformation, take part in communities of practice and share guides, "
        "document kits and webinars. Joining is free: just sign in with SPID or CIE.",
        "hero_cta_label": "Discover the communities of practice",
        "body": [
            "How to take part",
            "<b>Sign in with SPID or CIE.</b> Your first sign-in is your registration.",
            "<b>Accept the rules and complete your profile</b> with your authority and the "
            "contact details to use for Community activities.",
            "<b>Join a community of practice</b> as a simple participant or as a participant "
            "designated by your authority.",
            "Free and personal",
            "Registration costs nothing and is personal: everyone takes part with their own "
            'digital identity. Before you start, read the <a id="a1">Community rules</a>.',
        ],
        "academy_title": "Digital Municipalities Academy",
        "academy_text": "Free online courses for the staff of municipalities, unions of "
        "municipalities, metropolitan cities and municipal companies: basic, in-depth and "
        "specialist courses on simplification, digital services, national platforms such as "
        "PDND and cybersecurity. Every completed course earns an Open Badge.",
        "map_title": "Map of Digital Municipalities",
        "map_text": "The survey that takes a snapshot of the digitalisation of Italian "
        "municipalities. Those who fill in the questionnaire (a shorter version for "
        "municipalities under 5,000 inhabitants) get a picture of their own progress and can "
        "compare themselves with similar authorities.",
    },
    "news": {
        "title": "News",
        "slug": "news",
        "summary": "News from the Community, its communities of practice and ANCI's "
        "programme for the digitalisation of municipalities.",
        "intro": [
            "Updates on the work of the communities of practice, new document kits, upcoming "
            "webinars and programme initiatives. Some news items are for registered members "
            "only: sign in to read them all."
        ],
    },
    "communities": {
        "title": "Communities of practice",
        "slug": "communities-of-practice",
        "summary": "Thematic groups where staff and elected officials of local authorities "
        "discuss, work together and produce materials useful to every municipality.",
        "intro": [
            "Each community of practice works on one theme, chooses with its participants the "
            "topics to address and organises itself in working groups. You can join several "
            "communities, as a simple participant or as a participant designated by your "
            "authority."
        ],
    },
    "kits": {
        "title": "Document kits",
        "slug": "document-kits",
        "summary": "Ready-to-use guides, checklists and templates for municipal offices, "
        "downloadable as PDF.",
        "intro": [
            "Each kit collects documents on one theme and says who it is for. You can filter "
            "kits by thematic area and by topic."
        ],
    },
    "webinars": {
        "title": "Webinars",
        "slug": "webinars",
        "summary": "The Community's online meetings: upcoming sessions and recordings of past "
        "ones, with their slides.",
        "intro": [
            "Register for upcoming webinars or add them to your calendar. For past sessions "
            "you will find the recording and the slides."
        ],
    },
    "faq": {
        "title": "Frequently asked questions",
        "slug": "faq",
        "summary": "Answers about registration, roles, communities of practice, materials "
        "and surveys.",
        "intro": [
            "Can't find the answer you are looking for? Write to the editorial team: the "
            "address is at the bottom of every page."
        ],
    },
    "resources": {
        "title": "Resources",
        "slug": "resources",
        "summary": "All the Community's materials in one place: outputs of the communities "
        "of practice, kits, webinars and news.",
        "intro": [
            "One list with the outputs of the communities of practice, the document kits, the "
            "webinar recordings and the latest programme news. Filter by type of content or by "
            "topic."
        ],
    },
    # Footer and reserved pages: English titles and summaries; the body stays in Italian
    # until an editor translates it.
    "area-generale": {
        "title": "Community general area",
        "slug": "general-area",
        "summary": "The area for registered members: announcements, open surveys, calendar and "
        "shortcuts to the communities of practice.",
    },
    "rules": {
        "title": "Community rules",
        "slug": "community-rules",
        "summary": "The rules every member accepts at first sign-in: conduct, discussions, "
        "moderation, materials and personal data.",
    },
    "privacy": {
        "title": "Privacy notice",
        "slug": "privacy-notice",
        "summary": "How we process the personal data of visitors and members, under articles "
        "13 and 14 of Regulation (EU) 2016/679.",
    },
    "accessibility": {
        "title": "Accessibility statement",
        "slug": "accessibility-statement",
        "summary": "How far the portal meets the accessibility requirements, what is not yet "
        "accessible and how to report a problem.",
    },
    "legal": {
        "title": "Legal notes",
        "slug": "legal-notes",
        "summary": "Terms of use of the portal's content, licences, external links and liability.",
    },
}

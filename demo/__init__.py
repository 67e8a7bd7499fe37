"""The demo: ``manage.py load_demo`` and the content it loads.

Installed only by the dev and test settings, and by ``cms.settings.demo`` (production settings
plus this app, with which ``make serve`` loads the demo): no other app imports it.

- ``data/``: the content, as TOML files (pages, documents, people, English strings,
  discussions; see ``data/README.md``), read by ``content.load``;
- ``builder``, ``pages``, ``translation``, ``people``, ``discussions``: the loader, which turns
  that data into Wagtail pages, documents, images, members and topics;
- ``images`` and ``pdf``: generators for the banners (Pillow) and the PDF files (reportlab).
"""

"""Demo content for ``manage.py load_demo``.

- ``content``: the Italian pages (home, news, communities, kits, webinars, FAQ, standard pages);
- ``documents``: the text of the generated PDF documents (kits and webinar slides);
- ``english``: English strings for the home page and the section pages;
- ``images`` and ``pdf``: generators for the banners (Pillow) and the PDF files (reportlab).
"""

"""Wagtail API v2 at ``/api/v2/`` (the headless portal's content): ``views.py`` filters the
endpoints by the access policy, ``urls.py`` routes them."""

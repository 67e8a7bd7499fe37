"""The search API, mounted at ``/api/search/`` (``cms/urls.py``)."""

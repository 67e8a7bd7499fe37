"""The participation figures in the community API (``/api/community/v1/``, tag ``plan``):
``communities/api/urls.py`` includes ``reports/api/urls.py``."""

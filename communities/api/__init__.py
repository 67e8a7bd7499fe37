"""The community API (``/api/community/v1/``): ``views`` and ``me`` (the endpoints),
``serializers``, ``support`` (the base view, errors, the shape of an endpoint) and ``urls``
(mounted by ``cms/urls.py``, with the OpenAPI schema and its docs page)."""

"""The discussions API, part of the community API: ``views`` (the endpoints), ``serializers``,
``urls`` (included by ``communities/api.py`` at ``discussions/``)."""

"""Production settings plus the demo app: how `make serve` loads the demo content.

The `demo` app (`manage.py load_demo` and its data) is installed by the dev and test settings
and by this module only, never by production.py. `tools/serve.sh` runs `load_demo` alone with
these settings on an empty database, then serves with the production settings; a staging site
that wants the demo content does the same:
`DJANGO_SETTINGS_MODULE=cms.settings.demo manage.py load_demo`. Everything else is production's:
the README's demo `admin` account is never created (`DEMO_ADMIN_ACCOUNT` stays off).
"""

from .production import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

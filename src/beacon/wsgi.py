import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
application = get_wsgi_application()

from beacon.warmup import warm_up_worker  # noqa: E402  (needs the settings configured above)

warm_up_worker()

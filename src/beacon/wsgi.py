import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
application = get_wsgi_application()

try:
    from beacon.web.warmup import warm_up

    warm_up()
except Exception:  # a worker that cannot warm up still serves; the error shows where it belongs
    logging.getLogger("beacon.web.warmup").exception("warm-up failed")

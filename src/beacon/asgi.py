import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
application = get_asgi_application()

from beacon.warmup import warm_up_worker  # noqa: E402  (needs the settings configured above)

warm_up_worker()

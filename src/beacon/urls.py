from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language

from beacon.api.router import api

urlpatterns = [
    path("", include("beacon.accounts.urls")),
    path("", include("beacon.web.urls")),
    path("api/v1/", api.urls),
    path("hooks/", include("beacon.messaging.urls")),  # provider webhooks (Twilio SMS and WhatsApp)
    path("i18n/setlang/", set_language, name="set_language"),
    path("staff/screening/", include("beacon.screening.urls")),
    path("staff/cases/", include("beacon.cases.urls")),
    path("staff/directory/", include("beacon.directory.urls")),
    path("staff/tips/", include("beacon.tips.urls")),
    path("staff/intel/", include("beacon.intel.urls")),
    path("staff/insights/", include("beacon.insights.urls")),
    path("staff/outreach/", include("beacon.outreach.urls")),
    path("staff/matters/", include("beacon.matters.urls")),
    path("staff/audit/", include("beacon.audit.urls")),
    path("staff/lifecycle/", include("beacon.lifecycle.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("beacon.portal.urls")),
    prefix_default_language=True,
)

"""The public statistics page, for the language-prefixed portal URL list:
``path("statistics/", include("beacon.insights.public_urls"))``."""

from django.urls import path

from beacon.insights import public_views

app_name = "insights_public"
urlpatterns = [
    path("", public_views.statistics, name="statistics"),
    path("synthetic.csv", public_views.synthetic_csv, name="synthetic_csv"),
]

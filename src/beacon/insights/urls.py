from django.urls import path

from beacon.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("panels/<slug:key>/", views.panel, name="panel"),
    path("panels/<slug:key>.csv", views.panel_csv, name="panel_csv"),
    path("exports/", views.export_index, name="exports"),
    path("exports/htcds/<slug:table>.csv", views.export_htcds_table, name="export_htcds_table"),
    path("exports/htcds.json", views.export_htcds_json, name="export_htcds_json"),
    path("exports/ctdc.csv", views.export_ctdc, name="export_ctdc"),
    path("exports/federal.csv", views.export_federal, name="export_federal"),
    path("releases/", views.releases, name="releases"),
]

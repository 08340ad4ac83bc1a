from django.urls import path

from beacon.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.provider_list, name="list"),
    path("new/", views.provider_new, name="new"),
    path("match/", views.match, name="match"),
    path("export.csv", views.export, name="export"),
    path("import/", views.import_view, name="import"),
    path("<str:public_id>/", views.provider_detail, name="detail"),
    path("<str:public_id>/edit/", views.provider_edit, name="edit"),
]

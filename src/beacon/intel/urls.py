from django.urls import path

from beacon.intel import views

app_name = "intel"
urlpatterns = [
    path("", views.networks, name="networks"),
    path("networks/<str:public_id>/", views.network_detail, name="network"),
    path("networks/<str:public_id>/export.csv", views.network_export, name="network_export"),
    path("posts/", views.posts, name="posts"),
    path("posts/<str:public_id>/", views.post_detail, name="post"),
    path("imports/", views.imports, name="imports"),
    path("imports/<str:public_id>/", views.import_detail, name="import"),
    path("imports/<str:public_id>/preview", views.import_preview, name="import_preview"),
    path("imports/<str:public_id>/progress", views.import_progress, name="import_progress"),
    path("analyse", views.analyse, name="analyse"),
]

from django.urls import path

from beacon.lifecycle import views

app_name = "lifecycle"
urlpatterns = [
    path("", views.index, name="index"),
    path("holds/", views.hold_place, name="hold_place"),
    path("holds/<str:public_id>/release/", views.hold_release, name="hold_release"),
    path("erase/", views.erase, name="erase"),
]

from django.urls import path

from beacon.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("<str:public_id>/edit/", views.event_edit, name="edit"),
]

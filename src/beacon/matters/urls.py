from django.urls import path

from beacon.matters import views

app_name = "matters"
urlpatterns = [
    path("", views.matter_list, name="list"),
    path("new/", views.matter_new, name="new"),
    path("contact/", views.contact, name="contact"),
    path("deconfliction/", views.deconfliction_log, name="deconfliction"),
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/edit/", views.matter_edit, name="edit"),
    path("<str:public_id>/subjects/", views.subject_add, name="subject_add"),
]

from django.urls import path

from beacon.tips import views

app_name = "tips"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/photos/<str:photo_id>", views.photo, name="photo"),
    path("<str:public_id>/assign", views.assign, name="assign"),
    path("<str:public_id>/reply", views.reply, name="reply"),
    path("<str:public_id>/escalate", views.escalate, name="escalate"),
    path("<str:public_id>/close", views.close, name="close"),
    path("<str:public_id>/classify", views.classify, name="classify"),
    path("<str:public_id>/convert", views.convert, name="convert"),
    path("<str:public_id>/claim", views.claim, name="claim"),
    path("<str:public_id>/release", views.release, name="release"),
]

from django.urls import path

from beacon.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.screening_list, name="list"),
    path("new/", views.new, name="new"),
    path("new", views.new),  # the tip page links here without the slash
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/safety/", views.safety, name="safety"),
    path("<str:public_id>/ask/", views.ask, name="ask"),
    path("<str:public_id>/answers/", views.answers, name="answers"),
    path("<str:public_id>/settings/", views.change_settings, name="settings"),
    path("<str:public_id>/review/", views.review, name="review"),
    path("<str:public_id>/result/", views.result, name="result"),
    path("<str:public_id>/print/", views.print_view, name="print"),
    path("<str:public_id>/rescreen/", views.rescreen, name="rescreen"),
]

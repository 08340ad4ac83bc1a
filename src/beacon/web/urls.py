from django.urls import path

from beacon.web import views

app_name = "web"
urlpatterns = [
    path("staff/", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]

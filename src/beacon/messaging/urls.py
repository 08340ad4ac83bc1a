from django.urls import path

from beacon.messaging import views

app_name = "messaging"
urlpatterns = [path("twilio/", views.twilio_webhook, name="twilio")]

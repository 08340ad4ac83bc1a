"""The SMS and WhatsApp channel end to end: webhook requests signed with the auth token as Twilio
signs them, and a local HTTP server standing in for Twilio's REST API (the client is pointed at
it by BEACON_TWILIO_API_URL). Nothing of our own code is replaced."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from twilio.request_validator import RequestValidator

from beacon.accounts.roles import Role
from beacon.messaging import services
from beacon.messaging.models import Conversation, DeliveryStatus, InboundMessage, OutboundMessage
from beacon.tips import codenames
from beacon.tips import services as tips
from beacon.tips.models import Tip, TipMessage

TOKEN = "test-auth-token-0123456789abcdef"
SID = "AC00000000000000000000000000000001"
URL = "http://testserver/hooks/twilio/"
SENDER = "+13125550142"
OUR_NUMBER = "+13125550100"


class FakeTwilio:
    """Twilio's Messages endpoint on 127.0.0.1: records what was sent, can fail on purpose."""

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []
        self.fail_next: list[tuple[int, int]] = []  # (HTTP status, Twilio error code)
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                fields = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
                if self.path != f"/2010-04-01/Accounts/{SID}/Messages.json":
                    self._answer(404, {"code": 20404, "message": "not found", "status": 404})
                elif outer.fail_next:
                    status, code = outer.fail_next.pop(0)
                    self._answer(status, {"code": code, "message": "failure", "status": status})
                else:
                    outer.sent.append(fields)
                    sid = f"SM{len(outer.sent):032d}"
                    self._answer(201, {"sid": sid, "status": "queued", "to": fields["To"], "body": fields["Body"]})

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies_to(self, to: str) -> list[str]:
        return [m["Body"] for m in self.sent if m["To"] == to]


@pytest.fixture
def twilio(settings) -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    settings.BEACON_TWILIO = {
        "enabled": True,
        "account_sid": SID,
        "auth_token": TOKEN,
        "sms_from": OUR_NUMBER,
        "whatsapp_from": "whatsapp:+14155238886",
        "webhook_url": "",
        "api_url": fake.url,
        "timeout": 5.0,
    }
    settings.BEACON_SITE_URL = "https://beacon.example.org"
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def text(body: str, *, sid: str, sender: str = SENDER, token: str = TOKEN, url: str = URL):
    params = {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": SID,
        "From": sender,
        "To": OUR_NUMBER,
        "Body": body,
        "NumMedia": "0",
    }
    signature = RequestValidator(token).compute_signature(url, params)
    return Client().post("/hooks/twilio/", params, HTTP_X_TWILIO_SIGNATURE=signature)


def _codename_in(message: str) -> str:
    return message.split("\n")[1].strip()  # the line after the greeting


def _hotline(make_user, agency):
    return make_user(Role.HOTLINE, agency)


pytestmark = pytest.mark.django_db(transaction=True)


def test_a_first_message_opens_one_tip_and_answers_with_a_codename_in_the_senders_language(twilio):
    response = text("Hola, mi jefe guarda mi pasaporte y no me deja salir de la casa.", sid="SM-a1")
    assert response.status_code == 200 and b"<Response>" in response.content
    tip = Tip.objects.get()
    assert tip.channel == "sms" and tip.language == "es"
    assert tip.narrative.startswith("Hola, mi jefe guarda mi pasaporte")
    [answer] = twilio.bodies_to(SENDER)
    assert twilio.sent[0]["From"] == OUR_NUMBER
    assert answer.startswith("Beacon: gracias, recibimos su reporte.")
    assert "el equipo de la línea de ayuda" in answer  # what happens next, in Spanish
    assert "Enviar mensajes de texto muestra su número de teléfono a la línea de ayuda" in answer
    assert "https://beacon.example.org/es/report/follow-up/" in answer
    codename = _codename_in(answer)
    assert all(word in codenames.words("es") for word in codename.split())
    assert tips.find_by_codename(codename) == tip  # the codename opens the tip on the web too


def test_the_senders_number_is_stored_only_encrypted_and_blind_indexed(twilio):
    text("Hola, mi jefe guarda mi pasaporte y no me deja salir de la casa.", sid="SM-b1")
    conversation = Conversation.objects.get()
    assert conversation.sender == SENDER  # decrypts for delivery
    with connection.cursor() as cursor:
        cursor.execute("SELECT sender, sender_index FROM messaging_conversation")
        stored, index = cursor.fetchone()
    assert "5550142" not in stored and "5550142" not in index
    assert index == services.sender_index("sms", SENDER)
    tip = Tip.objects.get()
    assert tip.people == {} and not tip.identifiers.exists()  # not a "person named in the tip"


def test_a_retried_webhook_does_not_duplicate_anything(twilio):
    body = "Hola, mi jefe guarda mi pasaporte y no me deja salir de la casa."
    assert text(body, sid="SM-c1").status_code == 200
    assert text(body, sid="SM-c1").status_code == 200  # Twilio retries after a timeout
    assert Tip.objects.count() == 1 and InboundMessage.objects.count() == 1
    assert len(twilio.sent) == 1


def test_later_messages_from_the_same_sender_join_the_same_tip(twilio):
    text("Hola, mi jefe guarda mi pasaporte y no me deja salir de la casa.", sid="SM-d1")
    text("La casa está en la calle Mayor 12, en Cicero.", sid="SM-d2")
    text("Another person, another report about a restaurant.", sid="SM-d3", sender="+13125550199")
    assert Tip.objects.count() == 2
    tip = Conversation.objects.get(sender_index=services.sender_index("sms", SENDER)).tip
    [addition] = tip.messages.all()
    assert addition.author == "reporter" and addition.body == "La casa está en la calle Mayor 12, en Cicero."
    assert twilio.bodies_to(SENDER)[-1] == "Recibimos su mensaje. Gracias."


def test_a_staff_reply_reaches_the_sender(twilio, make_user, agency, staff_client):
    text("Hola, mi jefe guarda mi pasaporte y no me deja salir de la casa.", sid="SM-e1")
    tip = Tip.objects.get()
    hotline = _hotline(make_user, agency)
    client = staff_client(hotline)
    page = client.get(f"/staff/tips/{tip.public_id}/").content.decode()
    assert "your message is also sent to the reporter's phone" in page
    response = client.post(f"/staff/tips/{tip.public_id}/reply", {"body": "¿En qué ciudad está la casa?"})
    assert response.status_code in (200, 302)
    assert twilio.bodies_to(SENDER)[-1] == "¿En qué ciudad está la casa?"
    message = TipMessage.objects.get(tip=tip, author="staff")
    outbound = OutboundMessage.objects.get(tip_message=message)
    assert outbound.status == DeliveryStatus.SENT and outbound.provider_id.startswith("SM")
    page = client.get(f"/staff/tips/{tip.public_id}/").content.decode()
    assert "Text message: Sent" in page
    assert "5550142" not in page  # staff never see the sender's number


def test_stop_stops_every_message_and_start_resumes_them(twilio, make_user, agency):
    text("Hola, mi jefe guarda mi pasaporte y no me deja salir de la casa.", sid="SM-f1")
    sent_before = len(twilio.sent)
    text("STOP", sid="SM-f2")
    assert Conversation.objects.get().opted_out
    tip = Tip.objects.get()
    hotline = _hotline(make_user, agency)
    message = tips.message_reporter(hotline, tip, "¿Está a salvo?")
    assert len(twilio.sent) == sent_before  # SMS: the carrier confirms STOP; we send nothing
    assert OutboundMessage.objects.get(tip_message=message).status == DeliveryStatus.STOPPED
    assert TipMessage.objects.filter(tip=tip, author="reporter").count() == 0  # STOP is not a report
    text("START", sid="SM-f3")
    assert not Conversation.objects.get().opted_out
    assert twilio.bodies_to(SENDER)[-1] == "Recibirá nuestros mensajes otra vez. Responda STOP para detenerlos."
    tips.message_reporter(hotline, tip, "Gracias por responder.")
    assert twilio.bodies_to(SENDER)[-1] == "Gracias por responder."


def test_a_bad_signature_gets_403_and_stores_nothing(twilio):
    forged = text("Hola, mi jefe guarda mi pasaporte.", sid="SM-g1", token="not-the-token")
    assert forged.status_code == 403
    unsigned = Client().post("/hooks/twilio/", {"MessageSid": "SM-g2", "From": SENDER, "Body": "hola"})
    assert unsigned.status_code == 403
    other_url = text("Hola, mi jefe guarda mi pasaporte.", sid="SM-g3", url="https://evil.example/hooks/twilio/")
    assert other_url.status_code == 403
    assert not Tip.objects.exists() and not InboundMessage.objects.exists() and not Conversation.objects.exists()
    assert twilio.sent == []


def test_when_the_language_is_unclear_the_sender_is_asked_and_the_codename_follows_the_choice(twilio):
    text("ayuda", sid="SM-h1")
    tip = Tip.objects.get()
    [menu] = twilio.bodies_to(SENDER)
    assert "Reply with the number of your language:" in menu and "Responda con el número de su idioma:" in menu
    assert "\n2 Español\n" in menu and "\n5 العربية\n" in menu
    text("٥", sid="SM-h2")  # Arabic-Indic five: العربية
    tip.refresh_from_db()
    assert tip.language == "ar" and Conversation.objects.get().language == "ar"
    welcome = twilio.bodies_to(SENDER)[-1]
    assert welcome.startswith("Beacon: شكرًا لك، تلقّينا بلاغك.")
    codename = _codename_in(welcome)
    assert tips.find_by_codename(codename) == tip
    assert tip.narrative == "ayuda"  # the first message is the report, kept while we asked


def test_a_failed_delivery_is_retried_from_the_task_queue(twilio):
    twilio.fail_next = [(503, 20503)]
    text("Hola, mi jefe guarda mi pasaporte y no me deja salir de la casa.", sid="SM-i1")
    outbound = OutboundMessage.objects.get()
    assert outbound.status == DeliveryStatus.FAILED and outbound.attempts == 1
    assert "20503" in outbound.last_error and twilio.sent == []
    assert services.retry_failed_deliveries() == {}  # not due yet
    OutboundMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    from beacon.messaging.tasks import retry_deliveries_task

    retry_deliveries_task.call_local()
    outbound.refresh_from_db()
    assert outbound.status == DeliveryStatus.SENT and outbound.attempts == 2
    assert len(twilio.bodies_to(SENDER)) == 1


def test_a_number_that_cannot_receive_is_not_retried(twilio):
    twilio.fail_next = [(400, 21211)]  # invalid "To" number
    text("Hola, mi jefe guarda mi pasaporte y no me deja salir de la casa.", sid="SM-j1")
    assert OutboundMessage.objects.get().status == DeliveryStatus.GAVE_UP


def test_whatsapp_messages_are_answered_on_whatsapp(twilio):
    text("Мій роботодавець забрав мій паспорт і не платить мені.", sid="SM-k1", sender="whatsapp:" + SENDER)
    tip = Tip.objects.get()
    assert tip.channel == "whatsapp" and tip.language == "uk"
    [sent] = twilio.sent
    assert sent["To"] == "whatsapp:" + SENDER and sent["From"] == "whatsapp:+14155238886"
    text("STOP", sid="SM-k2", sender="whatsapp:" + SENDER)
    assert twilio.sent[-1]["Body"].startswith("Ви більше не отримуватимете")  # WhatsApp: we confirm


def test_the_channel_is_off_by_default(settings):
    settings.BEACON_TWILIO = {**settings.BEACON_TWILIO, "enabled": False}
    assert text("hola", sid="SM-l1").status_code == 404
    assert not InboundMessage.objects.exists()

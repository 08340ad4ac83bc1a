"""Anonymous submission through the portal: nothing identifying kept, exactly once, safe input."""

from __future__ import annotations

import base64
import io
import itertools

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from beacon.tips import services
from beacon.tips.models import Tip, TipIdentifier, TipPhoto
from beacon.tips.tests.conftest import follow_up_url, jpeg_with_gps, report_url

IDENTIFYING = ("203.0.113.77", "198.51.100.23", "SecretBrowser", "Reporter-Phone", "example.org/ref")


def _every_stored_value() -> str:
    """Every column of every row of every table, as text."""
    parts = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            if table not in connection.introspection.table_names():
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


@pytest.mark.django_db
def test_submission_stores_and_logs_no_identifying_request_data(submit, log_capture):
    response, codename = submit(narrative="A man keeps the workers' passports.", phones="312-555-0142")
    assert response.status_code == 200 and codename
    assert Tip.objects.count() == 1
    stored = _every_stored_value()
    logged = log_capture.getvalue()
    for secret in IDENTIFYING:
        assert secret not in stored, secret
        assert secret not in logged, secret
    # Free text and contacts are encrypted at rest; the codename is not stored at all.
    assert "passports" not in stored and "555-0142" not in stored and "+13125550142" not in stored
    # Checked as the phrase and its word pairs: a single common word ("change", "case", "network")
    # also appears in Django's stored permission names.
    words = codename.split()
    assert codename not in stored and "".join(words) not in stored
    for first, second in itertools.pairwise(words):
        assert f"{first} {second}" not in stored
    raw = connection.cursor()
    raw.execute("SELECT narrative, people FROM tips_tip")
    narrative, people = raw.fetchone()
    assert narrative.startswith("enc1:") and people.startswith("enc1:")


@pytest.mark.django_db
def test_portal_responses_set_no_cookie_even_after_a_submission(submit):
    response, _ = submit()
    assert "Set-Cookie" not in response.headers
    assert response["Cache-Control"].startswith("no-store")


@pytest.mark.django_db
def test_a_retry_with_the_same_token_returns_the_same_acknowledgement_and_one_tip(client, submit):
    from beacon.tips.tests.conftest import fresh_token

    token = fresh_token(client)
    first, codename_1 = submit(token=token)
    second, codename_2 = submit(token=token)
    assert first.status_code == second.status_code == 200
    assert Tip.objects.count() == 1
    assert codename_1 == codename_2


@pytest.mark.django_db
def test_a_repeated_submission_answers_with_the_first_tip(counties):
    data = services.TipInput(narrative="Same submission twice")
    first = services.submit_tip(data, nonce="n" * 32, idempotency_key="web:" + "n" * 32)
    # The repeat reaches the insert, collides on the submission key, and is answered with the first.
    second = services.submit_tip(data, nonce="n" * 32, idempotency_key="web:" + "n" * 32)
    assert second.tip.pk == first.tip.pk and not second.created
    assert second.codename == first.codename
    assert Tip.objects.count() == 1


@pytest.mark.django_db
def test_forged_or_expired_token_sends_nothing_and_keeps_the_text(submit):
    response, codename = submit(lang="es", token="forged:token", narrative="Texto que escribí")
    assert response.status_code == 400 and codename is None
    html = response.content.decode()
    assert "Este formulario había vencido" in html
    assert "Texto que escribí" in html
    assert Tip.objects.count() == 0


@pytest.mark.django_db
def test_codename_opens_only_its_own_tip(counties):
    a = services.submit_tip(services.TipInput(narrative="a"), nonce="a" * 32, idempotency_key="a")
    b = services.submit_tip(services.TipInput(narrative="b"), nonce="b" * 32, idempotency_key="b")
    assert services.find_by_codename(a.codename) == a.tip
    assert services.find_by_codename("  " + b.codename.upper().replace(" ", "-") + " ") == b.tip
    assert services.find_by_codename("not the right words at all here") is None
    assert a.tip.codename_hash.startswith("$argon2id$")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "fields", "message"),
    [
        ("es", {"narrative": "x" * 10_001}, "Es demasiado largo"),
        ("es", {"narrative": ""}, "Por favor, complete este campo."),
        ("ar", {"narrative": "ok\x00\x01\x02binary"}, "يحتوي هذا الحقل على رموز ليست نصًا"),
        ("pl", {"contact_preference": "phone", "contact_detail": ""}, "Podaj numer telefonu"),
        ("ko", {"when": "<script>"}, "선택지 중 하나를 골라 주세요."),
    ],
)
def test_bad_input_gets_a_clear_message_in_the_reporters_language(submit, lang, fields, message):
    response, codename = submit(lang=lang, **fields)
    assert response.status_code == 400 and codename is None
    assert message in response.content.decode()
    assert Tip.objects.count() == 0


@pytest.mark.django_db
def test_a_non_image_upload_is_refused_in_arabic(submit):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is an executable", content_type="image/jpeg")
    response, _ = submit(lang="ar", files={"photos": [fake]})
    assert response.status_code == 400
    assert "أحد الملفات ليس صورة يمكننا فتحها" in response.content.decode()
    assert Tip.objects.count() == 0


@pytest.mark.django_db
def test_script_tags_are_stored_as_inert_text(submit, make_user, agency, staff_client):
    from beacon.accounts.roles import Role

    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response, _ = submit(narrative=payload, names=payload)
    assert response.status_code == 200
    tip = Tip.objects.get()
    assert tip.narrative == payload
    html = staff_client(make_user(Role.HOTLINE, agency)).get(f"/staff/tips/{tip.public_id}/").content.decode()
    assert payload not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_photos_lose_their_metadata(submit):
    from PIL import Image

    original = jpeg_with_gps()
    assert b"SecretCameraMaker" in original
    upload = SimpleUploadedFile("p.jpg", original, content_type="image/jpeg")
    response, _ = submit(files={"photos": [upload]})
    assert response.status_code == 200
    photo = TipPhoto.objects.get()
    data = base64.b64decode(photo.data)
    assert b"SecretCameraMaker" not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert image.size == (64, 48)


@pytest.mark.django_db
def test_rate_limit_keys_on_a_pseudonym_never_the_address(submit, settings):
    from django.core.cache import cache

    settings.BEACON_PUBLIC_RATE_LIMITS = {"tip": 2, "codename": 60, "add": 60}
    cache.clear()
    assert submit()[0].status_code == 200
    assert submit()[0].status_code == 200
    third, _ = submit(lang="es")
    assert third.status_code == 429
    assert "Se enviaron demasiados reportes" in third.content.decode()
    keys = " ".join(str(k) for k in cache._cache)  # the in-memory cache's own keys
    assert "203.0.113.77" not in keys and "beacon:rl:tip:" in keys
    assert Tip.objects.count() == 2


@pytest.mark.django_db
def test_identifiers_are_blind_indexed_for_linking(submit):
    submit(phones="(312) 555-0142\nnot a phone", plates="il ab-12 345", emails="Boss@Example.com")
    kinds = sorted(TipIdentifier.objects.values_list("kind", flat=True))
    assert kinds == ["email", "phone", "plate"]
    assert all(len(i) == 40 for i in TipIdentifier.objects.values_list("index", flat=True))


@pytest.mark.django_db
def test_reporter_returns_reads_a_staff_reply_and_adds_information(client, submit, make_user, agency):
    from beacon.accounts.roles import Role

    _, codename = submit(lang="es")
    tip = Tip.objects.get()
    services.message_reporter(
        make_user(Role.HOTLINE, agency), tip, "Gracias. ¿Puede decirnos la calle?", request_info=True
    )
    page = client.post(follow_up_url("es"), {"codename": codename})
    html = page.content.decode()
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert "¿Puede decirnos la calle?" in html and "Le pedimos más información" in html
    assert codename not in html  # the follow-up page never shows the codename again
    token = html.split('name="token" value="')[1].split('"')[0]
    added = client.post(follow_up_url("es", "follow_up_add"), {"token": token, "body": "Calle Mayor 5"})
    assert added.status_code == 200 and "Su información fue agregada" in added.content.decode()
    # The reporter sees what they added, in the thread, under "you added information".
    thread = added.content.decode().split('class="messages-list"')[1].split("</ol>")[0]
    assert "Usted agregó información" in thread or "agregó información" in thread
    assert "Calle Mayor 5" in thread
    again = client.post(follow_up_url("es", "follow_up_add"), {"token": token, "body": "Calle Mayor 5"})
    assert again.status_code == 200
    assert tip.messages.filter(author="reporter").count() == 1
    tip.refresh_from_db()
    assert tip.status == "in_review"


@pytest.mark.django_db
def test_a_wrong_codename_says_so_kindly(client, counties):
    response = client.post(follow_up_url("uk"), {"codename": "one two three four five six seven"})
    assert response.status_code == 404
    assert "Ми не знайшли звернення з таким кодовим ім’ям" in response.content.decode()


@pytest.mark.django_db
def test_danger_now_shows_911_first_on_the_acknowledgement(submit):
    response, _ = submit(danger_now="on", child_involved="yes")
    html = response.content.decode()
    assert html.index('href="tel:911"', html.index("<main")) < html.index('id="received"')
    assert "1-800-25-ABUSE" in html.split('id="received"')[0]


@pytest.mark.django_db
def test_each_acknowledgement_shows_its_own_alerts_language_and_codename(submit):
    """The acknowledgement is rendered once per language and variant; each answer must still be its own."""
    danger, danger_codename = submit(danger_now="on")
    calm, calm_codename = submit()
    spanish, spanish_codename = submit(lang="es")
    assert 'href="tel:911"' in danger.content.decode().split('id="received"')[0]
    assert 'href="tel:911"' not in calm.content.decode().split('id="received"')[0]
    assert "Gracias. Su reporte fue recibido." in spanish.content.decode()
    assert "Thank you. Your report was received." in calm.content.decode()
    assert len({danger_codename, calm_codename, spanish_codename}) == 3
    assert all(c and len(c.split()) == 6 for c in (danger_codename, calm_codename, spanish_codename))


@pytest.mark.django_db
def test_report_url_is_language_prefixed():
    assert report_url("ar") == "/ar/report/"


@pytest.mark.django_db
def test_the_checklist_is_asked_in_the_reporters_language_and_graded(client, submit):
    html = client.get(report_url("ar")).content.decode()
    assert "هل على الشخص إصابات" in html  # the instrument's own Arabic question
    response, _ = submit(lang="ar", flag_PHYSICAL_ABUSE="yes", flag_NO_CONTROL_OF_DOCUMENTS="yes")
    assert response.status_code == 200
    tip = Tip.objects.get()
    assert tip.checklist["PHYSICAL_ABUSE"] == "yes" and tip.checklist["DEBT"] == "unknown"
    assert any(r[0] == "red_flags" and r[3] == "high" for r in tip.urgency_reasons)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_double_submissions_store_each_tip_once():
    """Two requests with the same token at the same moment (a double click on a slow line)."""
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    results: dict[tuple[int, int], services.Submitted] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def worker(n: int) -> None:
        try:
            for k in range(8):
                barrier.wait(timeout=20)
                nonce = f"{k:02d}" + "q" * 30  # the same submission in every thread
                data = services.TipInput(narrative=f"Simultaneous report {k}")
                results[(n, k)] = services.submit_tip(data, nonce=nonce, idempotency_key="web:" + nonce)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Tip.objects.count() == 8
    for k in range(8):
        answers = [results[(n, k)] for n in range(6)]
        assert len({a.tip.pk for a in answers}) == 1
        assert len({a.codename for a in answers}) == 1
        assert sum(a.created for a in answers) == 1


def test_forms_sharing_fields_keep_their_own_answers_and_errors(client, submit):
    """Tip forms share one set of field objects: what one reporter typed or got wrong must not
    show up in anybody else's form."""
    refused, _ = submit(narrative="", names="Name only the first reporter typed", phones="312-555-0199")
    html = refused.content.decode()
    assert refused.status_code == 400 and "Please fill in this field." in html
    assert "Name only the first reporter typed" in html and 'aria-invalid="true"' in html
    blank = client.get(report_url("en")).content.decode()
    assert "Name only the first reporter typed" not in blank and "312-555-0199" not in blank
    assert "Please fill in this field." not in blank and "aria-invalid" not in blank
    accepted, codename = submit(narrative="Someone else's report.", names="")
    assert accepted.status_code == 200 and codename
    assert "Name only the first reporter typed" not in accepted.content.decode()


def test_a_late_retry_is_acknowledged_without_showing_the_codename_again(client, submit):
    from datetime import timedelta

    from django.utils import timezone

    from beacon.tips.services import CODENAME_REPLAY_WINDOW
    from beacon.tips.tests.conftest import fresh_token

    token = fresh_token(client)
    _, codename = submit(token=token)
    Tip.objects.update(created_at=timezone.now() - CODENAME_REPLAY_WINDOW - timedelta(minutes=1))
    late, shown_again = submit(token=token)
    assert late.status_code == 200 and shown_again is None
    assert "This report was already received." in late.content.decode() and codename not in late.content.decode()
    assert Tip.objects.count() == 1
    _, new_codename = submit()  # the cached page without a codename does not stand in for a new tip's
    assert new_codename and new_codename != codename and Tip.objects.count() == 2

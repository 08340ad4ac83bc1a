from __future__ import annotations

import base64
import secrets

import pytest
from django.db import connection
from django.test import override_settings

from beacon.crypto import keys, normalise
from beacon.crypto.services import rotate_keys
from beacon.reference.models import Term


def _key() -> bytes:
    return secrets.token_bytes(32)


def test_round_trip_and_authenticity():
    token = keys.encrypt("María José, +1 312 555 0199")
    assert token.startswith("enc1:") and "María" not in token
    assert keys.decrypt(token) == "María José, +1 312 555 0199"
    assert keys.encrypt("same") != keys.encrypt("same"), "a fresh nonce every time"
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(keys.DecryptionError):
        keys.decrypt(tampered)


def test_old_values_stay_readable_after_a_new_primary_key():
    old, new = _key(), _key()
    with override_settings(BEACON_FIELD_KEYS={"k1": old}):
        token = keys.encrypt("secret")
    with override_settings(BEACON_FIELD_KEYS={"k2": new, "k1": old}):
        assert keys.decrypt(token) == "secret"
        assert keys.key_id_of(keys.encrypt("x")) == "k2"
    with override_settings(BEACON_FIELD_KEYS={"k2": new}), pytest.raises(keys.DecryptionError):
        keys.decrypt(token)


def test_blind_index_is_keyed_and_normalised():
    a = keys.blind_index(normalise.normalise_for_index("  José  GARCÍA "), purpose="name")
    b = keys.blind_index(normalise.normalise_for_index("jose garcia"), purpose="name")
    assert a == b
    assert keys.blind_index("jose garcia", purpose="email") != a, "purposes are separate"
    with override_settings(BEACON_BLIND_INDEX_KEY="another-key-that-is-long-enough-000000"):
        assert keys.blind_index("jose garcia", purpose="name") != a


@pytest.mark.django_db(transaction=True)
def test_rotation_rewrites_stored_values_under_the_primary_key(settings):
    """Uses a throwaway table with an encrypted column to exercise the rotation command end to end."""
    from django.db import models

    from beacon.crypto.fields import EncryptedTextField

    class Secretive(models.Model):
        secret = EncryptedTextField()

        class Meta:
            app_label = "crypto"
            db_table = "crypto_test_secretive"

    old, new = _key(), _key()
    with connection.schema_editor() as editor:
        editor.create_model(Secretive)
    try:
        settings.BEACON_FIELD_KEYS = {"k1": old}
        Secretive.objects.bulk_create([Secretive(secret=f"value {i}") for i in range(7)])
        settings.BEACON_FIELD_KEYS = {"k2": new, "k1": old}
        counts = rotate_keys(batch_size=3)
        assert counts["crypto.Secretive"] == 7
        with connection.cursor() as cursor:
            cursor.execute("SELECT secret FROM crypto_test_secretive")
            stored = [row[0] for row in cursor.fetchall()]
        assert all(keys.key_id_of(value) == "k2" for value in stored)
        settings.BEACON_FIELD_KEYS = {"k2": new}  # the old key can now be dropped
        assert sorted(s.secret for s in Secretive.objects.all()) == [f"value {i}" for i in range(7)]
        assert rotate_keys()["crypto.Secretive"] == 0, "re-running is a no-op"
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Secretive)
        from django.apps import apps

        apps.all_models["crypto"].pop("secretive", None)
        apps.clear_cache()


@pytest.mark.django_db
def test_blind_index_lookup_finds_exact_match_only():
    """An exact-match lookup through an indexed keyed hash, never through plaintext."""
    for name in ("Ana Lopez", "Anna Lopes"):
        Term.objects.create(
            vocabulary="test", code=keys.blind_index(normalise.normalise_for_index(name), purpose="name"), label="x"
        )
    probe = keys.blind_index(normalise.normalise_for_index("ANA  LÓPEZ"), purpose="name")
    assert Term.objects.filter(vocabulary="test", code=probe).count() == 1


def test_key_setting_is_validated():
    from beacon.conf import SettingError, parse_field_keys

    good = base64.urlsafe_b64encode(_key()).decode()
    assert list(parse_field_keys("K", f"a1:{good},a0:{good}")) == ["a1", "a0"]
    for bad in ("", "nocolon", "k1:!!!", "k1:" + base64.urlsafe_b64encode(b"short").decode()):
        with pytest.raises(SettingError) as excinfo:
            parse_field_keys("BEACON_FIELD_KEYS", bad)
        assert "BEACON_FIELD_KEYS" in str(excinfo.value)


def test_crypto_commands(capsys):
    from django.core.management import call_command

    call_command("crypto", "generate-key")
    key = capsys.readouterr().out.strip()
    assert len(base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))) == 32


@pytest.mark.django_db
def test_rotate_command_reports_the_primary_key(capsys):
    from django.core.management import call_command

    call_command("crypto", "rotate")
    assert "Primary key" in capsys.readouterr().out


def test_phone_numbers_normalise_to_e164_before_indexing():
    assert normalise.normalise_phone("(312) 555-0199") == "+13125550199"
    assert normalise.normalise_phone("+1 312.555.0199") == "+13125550199"
    assert normalise.normalise_phone("not a phone") == ""
    assert normalise.normalise_phone("") == ""


def test_email_normal_form():
    assert normalise.normalise_email("  Jobs.Recruit@Example.COM ") == "jobs.recruit@example.com"
    assert normalise.normalise_email("J.Doe+ads@GoogleMail.com") == "jdoe@gmail.com"
    assert normalise.normalise_email("not an address") == ""
    assert normalise.normalise_email("") == ""


def test_one_index_per_identifier_kind():
    assert keys.phone_index("(312) 555-0199") == keys.phone_index("+1 312.555.0199") != ""
    assert keys.phone_index("+13125550199") != keys.email_index("+13125550199@example.com")
    assert keys.identifier_index("phone", "") == "" and keys.phone_index("not a phone") == ""

import random

import phonenumbers
import pytest

from beacon.intel.core import normalise_email, normalise_phone
from beacon.intel.core.normalise import find_emails, find_phones

E164 = "+13125550198"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("call 312-555-0198 today", ()),
        ("(312) 555-0198", ()),
        ("312.555.0198", ()),
        ("312 555 0198", ()),
        ("3125550198", ()),
        ("1-312-555-0198", ()),
        ("+1 312 555 0198", ()),
        ("three one two five five five zero one nine eight", ("word",)),
        ("tres uno dos cinco cinco cinco cero uno nueve ocho", ("word",)),
        ("three1two 555 zero198", ("word",)),
        ("tres1dos5cinco5cero1nueve8", ("word",)),
        ("3l2-555-Ol98", ("letter",)),
        ("3I2 555 O198", ("letter",)),
        ("3️⃣1️⃣2️⃣5️⃣5️⃣5️⃣0️⃣1️⃣9️⃣8️⃣", ("emoji",)),
        ("312🌹555🌹0198", ("emoji",)),
        ("312 ⭐ 555 ⭐ 0198", ("emoji",)),
        ("3.1.2.5.5.5.0.1.9.8", ("separators",)),
        ("3 1 2 5 5 5 0 1 9 8", ("separators",)),
        ("312//555//0198", ("separators",)),
        ("312/555/0198", ("separators",)),
        ("(312)-(555)-(0198)", ("separators",)),
        ("３１２５５５０１９８", ("fullwidth",)),
    ],
)
def test_phone_obfuscations_normalise_to_e164(text: str, kinds: tuple[str, ...]) -> None:
    phones = list(find_phones(f"Text me at {text} after six."))
    assert [p.e164 for p in phones] == [E164]
    assert set(phones[0].obfuscations) == set(kinds)
    assert normalise_phone(text) == E164


def test_phone_spans_index_the_original_text() -> None:
    text = "Ｎｅｗ ad. Call ３１２５５５０１９８ or (773) 555-0142."
    found = list(find_phones(text))
    assert [p.e164 for p in found] == [E164, "+17735550142"]
    for p in found:
        assert text[p.span[0] : p.span[1]] == p.raw
    assert found[1].raw == "(773) 555-0142"


def test_several_numbers_in_one_run_are_split() -> None:
    found = [p.e164 for p in find_phones("lines 312-555-0198, 773-555-0142, 815.555.0100")]
    assert found == [E164, "+17735550142", "+18155550100"]


@pytest.mark.parametrize(
    "text",
    [
        "I have 2 kids and 1 dog",
        "Pay $1,200 weekly, 40 hours",
        "one two three o'clock",
        "oil and lollipops",
        "012 345 6789",
        "zip 60601 2024",
        "",
    ],
)
def test_non_phone_text_gives_nothing(text: str) -> None:
    assert normalise_phone(text) is None


def test_international_number_with_plus() -> None:
    assert normalise_phone("WhatsApp +52 55 1234 5678") == "+525512345678"


def test_nanp_prefix_cache_agrees_with_phonenumbers() -> None:
    rng = random.Random(5)
    for _ in range(300):
        digits = f"{rng.randint(200, 999)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        expected = phonenumbers.is_valid_number(phonenumbers.parse(digits, "US"))
        assert (normalise_phone(digits) is not None) == expected, digits


@pytest.mark.parametrize(
    ("text", "expected", "obfuscated"),
    [
        ("write maria.lopez@Gmail.com", "marialopez@gmail.com", False),
        ("jobs+il@acme-staffing.co.uk", "jobs+il@acme-staffing.co.uk", False),
        ("maria at gmail dot com", "maria@gmail.com", True),
        ("maria [at] yahoo [dot] com", "maria@yahoo.com", True),
        ("maria(at)hotmail(dot)com", "maria@hotmail.com", True),
        ("maria {at} outlook {dot} com", "maria@outlook.com", True),
        ("maria arroba gmail punto com", "maria@gmail.com", True),
        ("ana.r at mail dot example dot org", "ana.r@mail.example.org", True),
        ("maria@gmail dot com", "maria@gmail.com", True),
    ],
)
def test_emails(text: str, expected: str, obfuscated: bool) -> None:
    found = list(find_emails(f"Contact: {text}. Thanks"))
    assert [e.value for e in found] == [expected]
    assert found[0].obfuscated is obfuscated
    assert normalise_email(text) == expected


@pytest.mark.parametrize("text", ["meet me at the park dot", "we are at work", "at home dot", "no email here", ""])
def test_non_email_text_gives_nothing(text: str) -> None:
    assert normalise_email(text) is None

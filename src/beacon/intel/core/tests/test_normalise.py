import random
import re

import phonenumbers
import pytest

from beacon.intel.core import normalise_email, normalise_phone
from beacon.intel.core.normalise import (
    _ASCII_DIGIT_CANDIDATE,
    DIGIT_CANDIDATE,
    WORD_RE,
    _local_start,
    digit_count,
    find_emails,
    find_phones,
    fold,
    words_of,
)

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


def _mixed_texts(n: int, seed: int) -> list[str]:
    """Short texts of letters, digits, separators and look-alikes, ASCII and not."""
    rng = random.Random(seed)
    pieces = [*"abcdeiloxyz0123456789", " ", "  ", "-", ".", "_", "%", "+", "@", "\n", "\t", "\x1c", "(", ")", "$", ","]
    pieces += ["é", "ñ", "ü", "ß", "İ", "K", "３", "①", "٣", "📞", "\u200b", "one", "oil", "años", "per hour"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(n)]


def test_word_and_digit_helpers_agree_with_their_definitions() -> None:
    for text in _mixed_texts(3000, 1):
        low = fold(text)
        assert words_of(low) == WORD_RE.findall(low)
        assert digit_count(low) == sum(c in "0123456789" for c in low)
    assert fold("Call ３１２ or ٣") == "call 312 or 3"


def test_ascii_digit_candidates_match_the_unicode_ones() -> None:
    for text in _mixed_texts(3000, 2):
        low = fold(text)
        if low.isascii():
            assert [m.span() for m in _ASCII_DIGIT_CANDIDATE.finditer(low)] == [
                m.span() for m in DIGIT_CANDIDATE.finditer(low)
            ]


# the search _local_start replaces: where an e-mail's local part before its "@" starts
_LOCAL_BEFORE = re.compile(r"[a-z0-9][a-z0-9._%+\-]{0,63}$")


def test_local_part_scan_agrees_with_the_regex_search() -> None:
    rng = random.Random(3)
    alphabet = "ab9._%+-\n @é\t"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 90)))
        at = rng.randint(1, len(text))
        m = _LOCAL_BEFORE.search(text, max(0, at - 64), at)
        assert _local_start(text, at) == (m.start() if m else -1), (text, at)


@pytest.mark.parametrize(
    "text",
    ["312 555 OlOl", "3l2-555-OlOl", "312.555.lOlO", "3l2 555 OlOl", "1 312 555 OOlO", "312555OlOl"],
)
def test_a_group_written_wholly_in_look_alike_letters_is_read(text: str) -> None:
    phones = list(find_phones(f"Text me at {text} after six."))
    digits = text.lower().replace("o", "0").replace("l", "1")
    assert [p.e164 for p in phones] == ["+1" + "".join(c for c in digits if c.isdigit())[-10:]]
    assert "letter" in phones[0].obfuscations


@pytest.mark.parametrize("text", ["call 312-555-0198 I am in", "312 555 0198 lol", "312 555 0198 o 22"])
def test_a_word_after_a_whole_number_is_not_read_as_digits(text: str) -> None:
    assert [p.e164 for p in find_phones(text)] == [E164]

import random
from decimal import Decimal

import pytest

from beacon.intel.core import Post, extract
from beacon.intel.core.extractors import (
    _AGE_NUM,
    _ASCII_AGE_NUM,
    _ASCII_PRICE_NUM,
    _PRICE_NUM,
    extract_primary,
    extract_text,
)
from beacon.intel.core.gazetteer import counties, resolve_location
from beacon.intel.core.normalise import fold, words_of


@pytest.mark.parametrize(
    ("text", "amount", "currency", "unit", "per_hour"),
    [
        ("$25/hr", "25", "USD", "hour", "25.00"),
        ("$25 an hour", "25", "USD", "hour", "25.00"),
        ("$1,200 weekly", "1200", "USD", "week", "30.00"),
        ("800 a week", "800", "USD", "week", "20.00"),
        ("$160 per day", "160", "USD", "day", "20.00"),
        ("$5k a month", "5000", "USD", "month", "28.85"),
        ("$41,600 a year", "41600", "USD", "year", "20.00"),
        ("150 roses", "150", "roses", None, None),
        ("$20 la hora", "20", "USD", "hour", "20.00"),
        ("900 por semana", "900", "USD", "week", "22.50"),
        ("40 dólares por hora", "40", "USD", "hour", "40.00"),
        ("$99.50", "99.50", "USD", None, None),
    ],
)
def test_prices(text: str, amount: str, currency: str, unit: str | None, per_hour: str | None) -> None:
    [price] = extract_text(f"Pay: {text}. Call now").prices
    assert price.amount == Decimal(amount)
    assert price.currency == currency
    assert price.unit == unit
    assert price.per_hour == (Decimal(per_hour) if per_hour else None)


def test_phone_digits_are_not_prices() -> None:
    ex = extract_text("Call 312-555-0198 a week before")
    assert ex.prices == []
    assert [p.e164 for p in ex.phones] == ["+13125550198"]


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("19 years old", 19),
        ("19yo", 19),
        ("19 y/o", 19),
        ("age 19", 19),
        ("Age: 19", 19),
        ("19 años", 19),
        ("tengo 17", 17),
        ("edad: 16", 16),
        ("21-year-old", 21),
    ],
)
def test_ages(text: str, age: int) -> None:
    assert [a.value for a in extract_text(f"Hi, {text}, call me").ages] == [age]


@pytest.mark.parametrize("text", ["page 19 of the form", "10 years of experience", "must be 18 or older", "stage 20"])
def test_not_ages(text: str) -> None:
    assert extract_text(text).ages == []


def test_handles_and_urls() -> None:
    ex = extract_text(
        "snap: sweetie_22, IG: @maria.x, telegram @fastjobs, whatsapp: 3125550198, follow @bestjobs "
        "or mail maria@x.com. See https://jobs.example/apply?id=3, www.example.org."
    )
    assert [h.key for h in ex.handles] == [
        "snapchat:sweetie_22",
        "instagram:maria.x",
        "telegram:fastjobs",
        "at:bestjobs",
    ]
    assert [e.value for e in ex.emails] == ["maria@x.com"]
    assert ex.urls == ["https://jobs.example/apply?id=3", "www.example.org"]


def test_places_from_text() -> None:
    ex = extract_text("Now in Chicago, IL then Springfield, Illinois, Joliet and Houston. Normal hours. Aurora, CO.")
    labels = [(p.label, p.county_fips, p.county) for p in ex.places]
    assert labels == [
        ("Chicago, IL", "17031", "Cook County"),
        ("Springfield, IL", "17167", "Sangamon County"),
        ("Joliet, IL", "17197", "Will County"),
        ("Houston, TX", None, None),
        ("Aurora, CO", None, None),
    ]


def test_ambiguous_place_names_need_a_state_or_the_location_field() -> None:
    assert extract_text("Normal people welcome in Marion").places == []
    assert resolve_location("Normal").county == "McLean County"
    assert resolve_location("Marion, IL").county_fips == "17199"


def test_gazetteer_counties_come_from_the_census_list() -> None:
    names = counties()
    assert len(names) == 102
    assert resolve_location("rockford, il").county_fips == "17201"
    assert names[resolve_location("Peoria").county_fips] == "Peoria County"


def test_extract_merges_location_and_contact_columns() -> None:
    post = Post(
        id="1",
        source="s",
        body="Call eight one two five five five zero one nine eight",
        location="Rockford, IL",
        contacts={"phone": "(773) 555-0142", "email": "A at Example dot com", "snapchat": "@Zed", "image_hash": "ab12"},
    )
    ex = extract(post)
    assert ex.place.county == "Winnebago County"
    assert ex.identifiers() == [
        "phone:+18125550198",
        "phone:+17735550142",
        "email:a@example.com",
        "handle:snapchat:zed",
        "handle:image:ab12",
    ]
    assert ex.phone_obfuscated


def test_ascii_price_and_age_regexes_match_the_unicode_ones() -> None:
    rng = random.Random(4)
    pieces = "$|1|24|0|,|.|5|k| |per hour|/hr|a week|usd|roses|19|yo|16 years old|anos|-|\x1c|\n|por semana|ahora|9.99"
    for _ in range(4000):
        low = "".join(rng.choice(pieces.split("|")) for _ in range(rng.randint(0, 20)))
        for ascii_re, unicode_re in ((_ASCII_PRICE_NUM, _PRICE_NUM), (_ASCII_AGE_NUM, _AGE_NUM)):
            assert [m.groups() + m.span() for m in ascii_re.finditer(low)] == [
                m.groups() + m.span() for m in unicode_re.finditer(low)
            ]


@pytest.mark.parametrize(
    ("body", "location", "contacts"),
    [
        ("Houston, TX this week. Joliet next. Text 312-555-0198, she is 16 years old.", "Chicago, IL", {}),
        ("Houston, TX this week. Joliet next. Warehouse packers, $1,800 weekly.", "", {"phone": "773 555 0142"}),
        ("Houston, TX this week. Call me at maria at gmail dot com.", "Nowhere, ZZ", {"snapchat": "@Zed"}),
        ("No place here, snap: kitty_22, @bare_one, 3l2-555-Ol98.", "", {"email": "A at Example dot com"}),
    ],
)
def test_extract_primary_is_extract_as_far_as_the_analysis_reads_it(
    body: str, location: str, contacts: dict[str, str]
) -> None:
    post = Post(id="1", source="s", title="Hiring", body=body, location=location, contacts=contacts)
    full = extract(post)
    low = fold(post.text)
    lean = extract_primary(post, post.text, low, set(words_of(low)))
    assert (lean.phones, lean.emails, lean.handles, lean.prices, lean.ages) == (
        full.phones,
        full.emails,
        full.handles,
        full.prices,
        full.ages,
    )
    assert lean.place == full.place and lean.places == full.places[:1]


def test_each_place_is_listed_once() -> None:
    post = Post(
        id="1",
        source="s",
        title="Chicago girls",
        body="New in Chicago IL this week. Chicago, then Rockford. Chicago!",
        location="Chicago, IL",
    )
    assert [p.label for p in extract(post).places] == ["Chicago, IL", "Rockford, IL"]
    assert [p.label for p in extract_text("Chicago IL, Chicago and Chicago, Illinois").places] == ["Chicago, IL"]

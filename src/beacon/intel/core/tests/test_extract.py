from decimal import Decimal

import pytest

from beacon.intel.core import Post, extract
from beacon.intel.core.extractors import extract_text
from beacon.intel.core.gazetteer import counties, resolve_location


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

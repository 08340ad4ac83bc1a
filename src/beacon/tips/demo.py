"""Demo tips: fictional reports as varied as real ones, idempotent (fixed submission keys).

Twenty written scenarios in the portal's languages and across Illinois counties (some about
children, a few with someone in danger now, many with a handful of signs or none), then, when more
are asked for, reports composed from parts (who, where, what was seen) so no two read the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from beacon.tips.models import Tip
from beacon.tips.services import TipInput, recompute_urgency, submit_tip


@dataclass(frozen=True)
class Sample:
    language: str
    narrative: str
    county: str | None  # FIPS; None: a city, or outside Illinois
    when: str
    child: str = "unknown"
    danger: bool = False
    signs: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    plates: tuple[str, ...] = ()
    types: tuple[str, ...] = ()  # triage's classification, when it has been done
    channel: str = "web"
    people: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


SAMPLES = [
    Sample(
        "es",
        "Varias personas trabajan de noche en una fábrica de muebles y no pueden salir. Un hombre guarda "
        "sus pasaportes.",
        "17031",
        "week",
        signs=("NO_CONTROL_OF_DOCUMENTS", "RESTRICTED_MOVEMENT"),
        phones=("+1 312 555 0142",),
        plates=("IL AB12345",),
        types=("ForcedLabour",),
    ),
    Sample(
        "en",
        "A girl who looks about 15 is driven to different motels every night by an older man.",
        "17201",
        "day",
        child="yes",
        signs=("THIRD_PARTY_SPEAKS", "FEAR_AND_TRAUMA"),
        phones=("312-555-0199",),
        plates=("IL ZX9876",),
        types=("SexualExploitation",),
        people="Girl, about 15, and a man in his 40s",
    ),
    Sample(
        "pl",
        "Pracownicy budowlani mieszkają w przepełnionym domu i nie dostają wypłaty od dwóch miesięcy.",
        None,
        "month",
        child="no",
        signs=("POOR_LIVING_CONDITIONS", "UNPAID_OR_UNDERPAID"),
        phones=("+1 312 555 0142",),
    ),
    Sample(
        "ar",
        "امرأة تعمل في منزل ولا يسمح لها بالخروج، وصاحب العمل أخذ جواز سفرها.",
        "17167",
        "earlier",
        child="no",
        signs=("NO_CONTROL_OF_DOCUMENTS", "RESTRICTED_MOVEMENT"),
    ),
    Sample(
        "en", "Job advert promising visas for restaurant work, fee of 5,000 dollars required upfront.", None, "unknown"
    ),
    Sample(
        "en",
        "A man at the truck stop said he is being held in a trailer behind the warehouse and was beaten "
        "last night. He is there now.",
        "17197",
        "now",
        child="no",
        danger=True,
        signs=("PHYSICAL_ABUSE", "RESTRICTED_MOVEMENT", "FEAR_AND_TRAUMA"),
        plates=("IN 44K221",),
    ),
    Sample(
        "es",
        "Mi prima de 16 años trabaja en una cantina y el dueño la obliga a estar con clientes.",
        "17043",
        "week",
        child="yes",
        signs=("FORCED_ILLEGAL_ACTIVITY", "NO_CONTROL_OF_LIFE"),
        types=("SexualExploitation",),
        channel="sms",
    ),
    Sample(
        "zh-hans",
        "按摩店的女工住在店里，老板拿走了她们的护照，她们说欠了很多钱。",
        "17031",
        "week",
        child="no",
        signs=("NO_CONTROL_OF_DOCUMENTS", "DEBT", "RESTRICTED_MOVEMENT"),
    ),
    Sample(
        "tl",
        "Ang caregiver sa bahay ng kapitbahay ay hindi binabayaran at hindi pinapalabas.",
        "17097",
        "month",
        child="no",
        signs=("UNPAID_OR_UNDERPAID", "RESTRICTED_MOVEMENT"),
    ),
    Sample(
        "ko",
        "식당 주방에서 일하는 사람이 월급을 못 받고 있다고 말했습니다.",
        "17031",
        "month",
        child="no",
        signs=("UNPAID_OR_UNDERPAID",),
    ),
    Sample(
        "ru",
        "Работников на складе привозят и увозят на одном фургоне, говорить с ними не разрешают.",
        "17089",
        "week",
        child="no",
        signs=("THIRD_PARTY_SPEAKS", "RESTRICTED_MOVEMENT"),
        plates=("IL 7734KX",),
    ),
    Sample(
        "gu",
        "મોટેલમાં કામ કરતા છોકરાને મેનેજર પગાર આપતો નથી અને કહે છે કે તેણે દેવું ચૂકવવાનું છે.",
        "17019",
        "earlier",
        child="yes",
        signs=("DEBT", "UNPAID_OR_UNDERPAID"),
        types=("ForcedLabour", "ChildLabour"),
    ),
    Sample(
        "vi",
        "Các thợ tiệm nail ngủ ở phòng sau và chủ giữ giấy tờ của họ.",
        "17043",
        "week",
        child="no",
        signs=("NO_CONTROL_OF_DOCUMENTS", "POOR_LIVING_CONDITIONS"),
    ),
    Sample(
        "uk",
        "Жінка написала, що її тримають у квартирі і забрали телефон. Вона боїться за своє життя зараз.",
        "17031",
        "now",
        child="no",
        danger=True,
        signs=("RESTRICTED_MOVEMENT", "NO_CONTROL_OF_LIFE", "FEAR_AND_TRAUMA"),
    ),
    Sample(
        "ur",
        "ایک گیس اسٹیشن پر کام کرنے والا نوجوان کہتا ہے کہ مالک اسے گھر جانے نہیں دیتا۔",
        "17163",
        "unknown",
        child="unknown",
        signs=("RESTRICTED_MOVEMENT",),
    ),
    Sample(
        "hi",
        "एक घरेलू कामगार को परिवार बाहर नहीं जाने देता और उसका पासपोर्ट उनके पास है।",
        "17113",
        "month",
        child="no",
        signs=("NO_CONTROL_OF_DOCUMENTS", "RESTRICTED_MOVEMENT"),
    ),
    Sample(
        "en",
        "Teenagers selling candy door to door late at night, dropped off by a van; they said they must "
        "bring back $200 each.",
        "17143",
        "day",
        child="yes",
        signs=("THIRD_PARTY_SPEAKS", "DEBT"),
        plates=("IL VAN2231",),
        types=("ForcedBegging",),
        channel="phone",
    ),
    Sample(
        "en",
        "Online ad for 'new girls' at an apartment; one of them says she is 17 and is scared.",
        "17031",
        "now",
        child="yes",
        danger=True,
        signs=("FEAR_AND_TRAUMA",),
        types=("SexualExploitation",),
        extra={"emails": ["newgirls.chi@example.net"]},
    ),
    Sample(
        "es",
        "En un rancho en el condado de DeKalb los trabajadores dicen que les cobran la vivienda y la "
        "comida y nunca terminan de pagar.",
        "17037",
        "month",
        child="no",
        signs=("DEBT",),
    ),
    Sample(
        "en",
        "I saw a worker at the car wash with bruises; he would not talk with the manager nearby.",
        "17089",
        "week",
        child="no",
        signs=("PHYSICAL_ABUSE", "THIRD_PARTY_SPEAKS"),
        channel="email",
    ),
]

COUNTIES = (
    "17031",
    "17043",
    "17089",
    "17097",
    "17197",
    "17201",
    "17167",
    "17019",
    "17163",
    "17143",
    "17113",
    "17037",
    "17111",
    "17099",
)
WHO = (
    "Two women",
    "A young man",
    "Several farm workers",
    "A family of four",
    "A group of cleaners",
    "Three restaurant workers",
    "An older man",
    "Hotel housekeepers",
    "Warehouse temps",
    "A nanny",
)
WHERE = (
    "at a hotel near the highway",
    "on a tomato farm",
    "at a nail salon",
    "in a meat-packing plant",
    "at a construction site",
    "in a private home",
    "at a landscaping company",
    "at a bar downtown",
    "in a garment workshop",
    "at a car wash",
)
SEEN = (
    ("are paid much less than promised", ("UNPAID_OR_UNDERPAID",)),
    ("live where they work, many to a room", ("POOR_LIVING_CONDITIONS",)),
    ("seem afraid to talk to anyone", ("FEAR_AND_TRAUMA",)),
    ("are always picked up by the same man who answers for them", ("THIRD_PARTY_SPEAKS",)),
    ("said the boss keeps their IDs", ("NO_CONTROL_OF_DOCUMENTS",)),
    ("owe a recruiter for the trip", ("DEBT",)),
    ("work seven days a week with no breaks", ()),
    ("were told they would be reported to immigration if they quit", ("FEAR_AND_TRAUMA",)),
)
WHEN = ("week", "month", "earlier", "unknown", "day")


def _composed(n: int, rng: random.Random) -> Sample:
    seen = rng.sample(SEEN, rng.randint(1, 2))
    narrative = f"{rng.choice(WHO)} {rng.choice(WHERE)} " + " and ".join(text for text, _ in seen) + "."
    signs = tuple(sorted({sign for _, items in seen for sign in items}))
    county = rng.choice(COUNTIES) if rng.random() < 0.85 else None
    return Sample(
        rng.choice(("en", "en", "es")),
        narrative,
        county,
        rng.choice(WHEN),
        child=rng.choice(("no", "no", "unknown")),
        signs=signs,
        channel=rng.choice(("web", "web", "sms", "email", "phone")),
        phones=(f"+1 217 555 {n % 10000:04d}",) if rng.random() < 0.3 else (),
    )


def seed_tips(ctx: Any) -> None:
    rng = random.Random(ctx.seed + 5)
    count = max(len(SAMPLES), getattr(ctx, "tips", 0) or 0)
    created = 0
    for n in range(count):
        sample = SAMPLES[n] if n < len(SAMPLES) else _composed(n, rng)
        kind = "county" if sample.county else ("city" if n % 3 == 0 else "elsewhere")
        data = TipInput(
            narrative=sample.narrative,
            location_kind=kind,
            county_fips=sample.county,
            place="Rockford" if kind == "city" else "",
            when=sample.when,
            child_involved=sample.child,
            danger_now=sample.danger,
            people={
                "phones": list(sample.phones),
                "plates": list(sample.plates),
                "description": sample.people,
                **sample.extra,
            },
            language=sample.language,
            checklist={sign: "yes" for sign in sample.signs},
        )
        key = f"demo-tip-{n}"
        result = submit_tip(data, nonce=f"{key}-{rng.random()}", idempotency_key=key, channel=sample.channel)
        created += int(result.created)
        if result.created and sample.types:
            tip = Tip.objects.get(pk=result.tip.pk)
            tip.exploitation_types = list(sample.types)
            recompute_urgency(tip, "exploitation_types")
    ctx.out(f"tips: {created} created")

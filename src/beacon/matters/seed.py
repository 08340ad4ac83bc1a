"""Demo matters: three investigations whose subjects meet a demo tip and each other, so the
deconfliction answers (named, confidential) and their notices can be seen after `beacon demo`."""

from __future__ import annotations

from django.db import transaction

from beacon.demo.seeding import SeedContext, refuse_production
from beacon.matters import services
from beacon.matters.models import Matter, MatterStatus
from beacon.reference.models import County

CONTACTS = {
    # agency index: (name, phone, e-mail, username of the account that receives the notices)
    "3": ("Lt. Alex Brooks, deconfliction desk", "+13125550177", "deconfliction@metro-police.example", "investigator"),
    "6": ("Sgt. Robin Hayes", "+18155550123", "", "sheriff"),
}

# (agency index, username, title, type, county FIPS, confidential, [(kind, value, note)])
MATTERS = [
    (
        "6",
        "sheriff",
        "Furniture factory night shift",
        "ForcedLabour",
        "17031",
        False,
        [
            ("phone", "+1 312 555 0142", "Number on the recruitment flyer"),
            ("business", "Northside Furniture Works", ""),
            ("vehicle", "IL AB12345", "White van at the loading dock"),
        ],
    ),
    (
        "3",
        "investigator",
        "Motel circuit, Route 20",
        "SexualExploitation",
        "17201",
        True,
        [("phone", "312-555-0199", ""), ("handle", "@midnight_rides", "Ad account"), ("vehicle", "IL ZX9876", "")],
    ),
    (
        "3",
        "investigator",
        "Furniture supplier's drivers",
        "ForcedLabour",
        "17031",
        False,
        [("phone", "(312) 555-0142", "Dispatcher"), ("phone", "call the dispatcher", "Number not yet known")],
    ),
    (
        "7",
        "prosecutor",
        "Motel circuit charging review",
        "SexualExploitation",
        "17201",
        False,
        [("phone", "+1 (312) 555-0199", "")],
    ),
]


@transaction.atomic
def seed_matters(ctx: SeedContext) -> None:
    refuse_production()
    agencies = [ctx.agencies[index] for index, *_rest in MATTERS]
    if Matter.objects.filter(agency__in=agencies).exists():
        ctx.out(f"  matters: {Matter.objects.count()} (already seeded)")
        return
    admin = ctx.users["admin"]
    for index, (name, phone, email, username) in CONTACTS.items():
        services.save_contact(
            admin,
            ctx.agencies[index],
            services.ContactInput(name=name, phone=phone, email=email, user=ctx.users[username]),
        )
    counties = {c.fips: c for c in County.objects.filter(fips__in=[m[4] for m in MATTERS])}
    for _index, username, title, kind, fips, confidential, subjects in MATTERS:
        user = ctx.users[username]
        matter = services.open_matter(
            user,
            services.MatterInput(
                title=title,
                exploitation_type=kind,
                county=counties.get(fips),
                status=MatterStatus.OPEN,
                lead=user,
                confidential=confidential,
            ),
        )
        for subject_kind, value, note in subjects:
            services.add_subject(user, matter, subject_kind, value, note)
    ctx.out(f"  matters: {Matter.objects.count()}")

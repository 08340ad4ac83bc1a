"""Next steps: who to call and where to refer, from a result and three facts about the situation.

Routing reads the result's route tags (set by the instrument's rules and populations:
trafficking, possible-trafficking, labour-exploitation, minor, child-commercial-sex,
u-visa-qualifying-crime, urgency-*), so a new instrument routes without code changes. "Concern"
means any tag other than ``minor``: a result that shows nothing does not send anyone to a
hotline, except that immediate danger always means 911. A child in commercial sex
(``child-commercial-sex``, set by the population whatever the answers) always gets the DCFS step
(docs/screening-rules.md, section 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from beacon.screening.engine.i18n import Message, Translate, message
from beacon.screening.engine.i18n import gettext_noop as _
from beacon.screening.engine.immigration import (
    ImmigrationFacts,
    ImmigrationPrescreen,
    prescreen,
)

if TYPE_CHECKING:
    from beacon.screening.engine.evaluation import ScreeningResult

SERVICE_CATEGORIES = (
    "case_management",
    "legal_immigration",
    "legal_criminal",
    "legal_civil",
    "counseling",
    "health",
    "shelter",
    "employment",
    "financial",
    "interpretation",
    "safety_planning",
)


@dataclass(frozen=True, slots=True)
class ScreeningContext:
    immediate_danger: bool = False
    minor: bool = False
    foreign_national: bool = False


@dataclass(frozen=True, slots=True)
class Phone:
    number: str
    display: str
    kind: str = "call"  # or "text"

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "number": self.number, "display": self.display}


@dataclass(frozen=True, slots=True)
class NextStep:
    code: str
    text: Message
    phones: tuple[Phone, ...] = ()
    services: tuple[str, ...] = ()
    prescreen: ImmigrationPrescreen | None = None

    def to_dict(self, language: str = "en", translate: Translate | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "text": self.text.render(language, translate),
            "phones": [phone.to_dict() for phone in self.phones],
            "services": list(self.services),
        }
        if self.prescreen is not None:
            data["prescreen"] = self.prescreen.to_dict(language, translate)
        return data


EMERGENCY = Phone("911", "911")
DCFS = Phone("1-800-252-2873", "1-800-25-ABUSE (1-800-252-2873)")
HOTLINE = Phone("1-888-373-7888", "1-888-373-7888")
HOTLINE_TEXT = Phone("233733", "233733", kind="text")

CALL_911 = NextStep(
    "call-911",
    message(_("Someone is in immediate danger: call 911 now.")),
    (EMERGENCY,),
    ("safety_planning",),
)
DCFS_HOTLINE = NextStep(
    "dcfs-hotline",
    message(
        _("The person is under 18. Report any suspected abuse or trafficking of a child to the Illinois DCFS hotline.")
    ),
    (DCFS,),
    ("safety_planning", "case_management"),
)
MANDATED_REPORTING = NextStep(
    "mandated-reporting",
    message(_("If you are a mandated reporter in Illinois, you must call the DCFS hotline.")),
    (DCFS,),
)
YOUTH_SERVICES = NextStep(
    "youth-services",
    message(_("Refer the young person to youth services for care, a safe place to stay and support.")),
    (),
    ("case_management", "counseling", "health", "shelter", "safety_planning"),
)
TRAFFICKING_REFERRAL = NextStep(
    "trafficking-services-referral",
    message(
        _(
            "Refer the person to a service provider for trafficking survivors for a full assessment, a "
            "safety plan and services."
        )
    ),
    (),
    (
        "case_management",
        "safety_planning",
        "shelter",
        "health",
        "counseling",
        "legal_criminal",
        "legal_civil",
    ),
)
COMPLETE_ASSESSMENT = NextStep(
    "complete-assessment",
    message(
        _(
            "Trafficking cannot be ruled out. Ask the unanswered questions when it is safe to do so, or "
            "refer the person for a full assessment."
        )
    ),
    (),
    ("case_management", "safety_planning"),
)
LABOUR_RIGHTS = NextStep(
    "labour-rights-referral",
    message(
        _(
            "The answers show exploitative work. Refer the person to a labour-rights organisation for help "
            "with a wage claim and their rights at work."
        )
    ),
    (),
    ("legal_civil", "employment", "financial"),
)
TIP_URGENT = NextStep(
    "tip-urgent-review",
    message(_("Signs of high urgency were reported. Review this tip today and decide on outreach.")),
    (),
    ("safety_planning", "case_management"),
)
TIP_REVIEW = NextStep(
    "tip-review", message(_("Some signs were reported. Review this tip soon.")), (), ("case_management",)
)
TIP_ROUTINE = NextStep(
    "tip-routine-review",
    message(_("A sign was reported. Review this tip in the usual order.")),
    (),
    ("case_management",),
)
LEGAL_ELEMENTS_SCREEN = NextStep(
    "legal-elements-screen",
    message(
        _(
            "Run the US legal-elements screen: only it decides whether this is a severe form of trafficking "
            "in persons (22 U.S.C. 7102(11)), which the T visa, Continued Presence and U visa ask about."
        )
    ),
    (),
    ("legal_immigration", "legal_criminal"),
)
HHS_ELIGIBILITY_LETTER = NextStep(
    "hhs-eligibility-letter",
    message(
        _(
            "Request an HHS eligibility letter for the child from the Office on Trafficking in Persons "
            "(OTIP): it needs no cooperation with law enforcement."
        )
    ),
    (),
    ("case_management", "financial", "health"),
)
HHS_CERTIFICATION = NextStep(
    "hhs-certification",
    message(
        _(
            "HHS certification from the Office on Trafficking in Persons (OTIP) opens benefits for a "
            "foreign-national adult; it requires a bona fide T visa application or Continued Presence."
        )
    ),
    (),
    ("case_management", "financial", "health"),
)
CHILD_LABOUR = NextStep(
    "child-labour-enforcement",
    message(
        _(
            "The person is under 18 and the work is exploitative: report it to child-labour law enforcement, "
            "and refer the young person to youth services."
        )
    ),
    (),
    ("case_management", "employment"),
)
HOTLINE_STEP = NextStep(
    "national-hotline",
    message(
        _(
            "The National Human Trafficking Hotline answers 24 hours a day, in more than 200 languages: call "
            "1-888-373-7888 or text 233733."
        )
    ),
    (HOTLINE, HOTLINE_TEXT),
    ("case_management",),
)


def _make_immigration_step(
    severe_form: str | None, facts: ImmigrationFacts, minor: bool, other_crime: bool
) -> NextStep:
    return NextStep(
        "immigration-legal-referral",
        message(
            _(
                "The person is a foreign national. Refer them to an immigration attorney, with an "
                "interpreter if needed, to check possible relief."
            )
        ),
        (),
        ("legal_immigration", "interpretation"),
        prescreen(severe_form, facts, minor=minor, other_qualifying_crime=other_crime),
    )


@lru_cache(maxsize=32)
def _immigration_step(severe_form: str | None, minor: bool, other_crime: bool) -> NextStep:
    return _make_immigration_step(severe_form, ImmigrationFacts(), minor, other_crime)


def next_steps_for(
    tags: frozenset[str],
    context: ScreeningContext,
    *,
    classifies_trafficking: bool,
    severe_form: str | None = None,
    facts: ImmigrationFacts | None = None,
) -> tuple[NextStep, ...]:
    """``severe_form``: met / unknown / not-met from a US federal-standard instrument, else None."""
    minor = context.minor or "minor" in tags
    concern = bool(tags - {"minor"})
    trafficking_concern = bool(tags & {"trafficking", "possible-trafficking", "child-commercial-sex"})
    steps: list[NextStep] = []
    if context.immediate_danger:
        steps.append(CALL_911)
    if minor and concern:
        steps += (DCFS_HOTLINE, MANDATED_REPORTING)
    if "trafficking" in tags:
        steps.append(TRAFFICKING_REFERRAL)
    elif "possible-trafficking" in tags:
        steps.append(COMPLETE_ASSESSMENT)
    if "labour-exploitation" in tags and "trafficking" not in tags:
        steps.append(LABOUR_RIGHTS)
        if minor:
            steps.append(CHILD_LABOUR)
    if "urgency-high" in tags:
        steps.append(TIP_URGENT)
    elif "urgency-elevated" in tags:
        steps.append(TIP_REVIEW)
    elif "urgency-low" in tags:
        steps.append(TIP_ROUTINE)
    if severe_form is None and (
        trafficking_concern or "labour-exploitation" in tags or (context.foreign_national and concern)
    ):
        steps.append(LEGAL_ELEMENTS_SCREEN)
    if context.foreign_national and concern:
        other_crime = "u-visa-qualifying-crime" in tags
        if facts is None:  # the usual case: the same few steps, built once
            steps.append(_immigration_step(severe_form, minor, other_crime))
        else:
            steps.append(_make_immigration_step(severe_form, facts, minor, other_crime))
        if trafficking_concern:
            steps.append(HHS_ELIGIBILITY_LETTER if minor else HHS_CERTIFICATION)
    if minor and concern:
        steps.append(YOUTH_SERVICES)
    steps.append(HOTLINE_STEP)
    return tuple(steps)


def route(
    result: ScreeningResult,
    *,
    immediate_danger: bool = False,
    minor: bool = False,
    foreign_national: bool = False,
    facts: ImmigrationFacts | None = None,
) -> tuple[NextStep, ...]:
    """The next steps for ``result`` in this situation (pure: same input, same steps)."""
    context = ScreeningContext(immediate_danger=immediate_danger, minor=minor, foreign_national=foreign_national)
    return next_steps_for(
        result.route_tags,
        context,
        classifies_trafficking=result.instrument.classifies_trafficking,
        severe_form=result.severe_form,
        facts=facts,
    )

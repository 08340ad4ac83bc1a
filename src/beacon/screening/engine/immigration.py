"""Immigration relief pre-screen: flags *possible* eligibility and routes to an attorney, never decides.

Criteria are those of the T visa (8 U.S.C. 1101(a)(15)(T)), Continued Presence
(22 U.S.C. 7105(c)(3)) and the U visa. A criterion the screener can check is marked
``decided_by: screening``; the rest (extreme hardship, admissibility, the law-enforcement
certification) belong to the attorney and never block a "possible".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from beacon.screening.engine.i18n import Message, Translate, message
from beacon.screening.engine.i18n import gettext_noop as _

if TYPE_CHECKING:
    from beacon.screening.engine.evaluation import ScreeningResult

MET, NOT_MET, UNKNOWN = "met", "not-met", "unknown"
POSSIBLE, NEEDS_MORE_INFORMATION, NOT_INDICATED = "possible", "needs-more-information", "not-indicated"
SCREENING, ATTORNEY = "screening", "attorney"


@dataclass(frozen=True, slots=True)
class ImmigrationFacts:
    """What the screener knows beyond the screening answers; None means not known."""

    present_in_us_on_account_of_trafficking: bool | None = None
    complied_with_law_enforcement_requests: bool | None = None
    unable_to_cooperate_due_to_trauma: bool | None = None
    suffered_substantial_abuse: bool | None = None
    has_information_about_crime: bool | None = None
    helpful_to_law_enforcement: bool | None = None
    federal_law_enforcement_involved: bool | None = None


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    text: Message
    status: str
    decided_by: str

    def to_dict(self, language: str, translate: Translate | None) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text.render(language, translate),
            "status": self.status,
            "decided_by": self.decided_by,
        }


@dataclass(frozen=True, slots=True)
class ReliefScreen:
    relief: str
    citation: str | None
    status: str
    criteria: tuple[Criterion, ...]
    note: Message

    def to_dict(self, language: str, translate: Translate | None) -> dict[str, Any]:
        return {
            "status": self.status,
            "citation": self.citation,
            "criteria": [criterion.to_dict(language, translate) for criterion in self.criteria],
            "note": self.note.render(language, translate),
        }


@dataclass(frozen=True, slots=True)
class ImmigrationPrescreen:
    t_visa: ReliefScreen
    continued_presence: ReliefScreen
    u_visa: ReliefScreen

    def to_dict(self, language: str = "en", translate: Translate | None = None) -> dict[str, Any]:
        return {
            "notice": message(
                _(
                    "This flags possible eligibility only. An immigration attorney decides; refer the person "
                    "to one."
                )
            ).render(language, translate),
            "t_visa": self.t_visa.to_dict(language, translate),
            "continued_presence": self.continued_presence.to_dict(language, translate),
            "u_visa": self.u_visa.to_dict(language, translate),
        }


def _known(value: bool | None) -> str:
    return UNKNOWN if value is None else (MET if value else NOT_MET)


def _status(criteria: tuple[Criterion, ...]) -> str:
    checked = [criterion.status for criterion in criteria if criterion.decided_by == SCREENING]
    if NOT_MET in checked:
        return NOT_INDICATED
    if all(status == MET for status in checked):
        return POSSIBLE
    return NEEDS_MORE_INFORMATION


def _cooperation(facts: ImmigrationFacts, minor: bool) -> str:
    # The T visa excuses cooperation for a person under 18 or unable to cooperate because of trauma.
    if minor or facts.complied_with_law_enforcement_requests or facts.unable_to_cooperate_due_to_trauma:
        return MET
    if (
        facts.complied_with_law_enforcement_requests is False
        and facts.unable_to_cooperate_due_to_trauma is False
    ):
        return NOT_MET
    return UNKNOWN


def prescreen(trafficking: str, facts: ImmigrationFacts, *, minor: bool) -> ImmigrationPrescreen:
    """``trafficking`` is met / unknown / not-met: what the screening says about a severe form."""
    victim = Criterion(
        "trafficking_victim",
        message(_("Victim of a severe form of trafficking in persons.")),
        trafficking,
        SCREENING,
    )
    t_criteria = (
        victim,
        Criterion(
            "physical_presence",
            message(
                _(
                    "Physically present in the United States, American Samoa, the Northern Mariana Islands "
                    "or at a port of entry on account of trafficking."
                )
            ),
            _known(facts.present_in_us_on_account_of_trafficking),
            SCREENING,
        ),
        Criterion(
            "law_enforcement_cooperation",
            message(
                _(
                    "Complied with any reasonable request from law enforcement, unless under 18 or unable to "
                    "cooperate because of physical or psychological trauma."
                )
            ),
            _cooperation(facts, minor),
            SCREENING,
        ),
        Criterion(
            "extreme_hardship",
            message(_("Would suffer extreme hardship involving unusual and severe harm if removed.")),
            UNKNOWN,
            ATTORNEY,
        ),
        Criterion("admissibility", message(_("Admissible, or granted a waiver.")), UNKNOWN, ATTORNEY),
    )
    cp_criteria = (
        victim,
        Criterion(
            "potential_witness",
            message(_("A potential witness: has information about the trafficking.")),
            _known(facts.has_information_about_crime),
            SCREENING,
        ),
        Criterion(
            "federal_law_enforcement_request",
            message(_("Federal law enforcement requests it; no one else can.")),
            _known(facts.federal_law_enforcement_involved),
            SCREENING,
        ),
    )
    # Trafficking is one qualifying crime among others, so "not trafficking" leaves the U visa open.
    qualifying = MET if trafficking == MET else UNKNOWN
    u_criteria = (
        Criterion(
            "qualifying_crime",
            message(
                _("Victim of a qualifying crime; trafficking is one, and an attorney can check the others.")
            ),
            qualifying,
            SCREENING,
        ),
        Criterion(
            "substantial_abuse",
            message(_("Suffered substantial physical or mental abuse.")),
            _known(facts.suffered_substantial_abuse),
            SCREENING,
        ),
        Criterion(
            "has_information",
            message(_("Has information about the crime.")),
            _known(facts.has_information_about_crime),
            SCREENING,
        ),
        Criterion(
            "helpful",
            message(_("Has been, is, or is likely to be helpful to law enforcement.")),
            _known(facts.helpful_to_law_enforcement),
            SCREENING,
        ),
        Criterion(
            "certification",
            message(_("A law enforcement certification (Form I-918 Supplement B).")),
            UNKNOWN,
            ATTORNEY,
        ),
    )
    return ImmigrationPrescreen(
        t_visa=ReliefScreen(
            "t_visa",
            "8 U.S.C. 1101(a)(15)(T)",
            _status(t_criteria),
            t_criteria,
            message(
                _(
                    "T visas are capped at 5,000 principal applicants a year. Adjustment to permanent "
                    "residence is possible after 3 years."
                )
            ),
        ),
        continued_presence=ReliefScreen(
            "continued_presence",
            "22 U.S.C. 7105(c)(3)",
            _status(cp_criteria),
            cp_criteria,
            message(
                _(
                    "Only federal law enforcement can request Continued Presence, for a potential witness. "
                    "It gives temporary status with work authorization (2 years, renewable)."
                )
            ),
        ),
        u_visa=ReliefScreen(
            "u_visa",
            None,
            _status(u_criteria),
            u_criteria,
            message(_("U visas are capped at 10,000 a year and need a law enforcement certification.")),
        ),
    )


def trafficking_status(tags: frozenset[str], classifies_trafficking: bool) -> str:
    if "trafficking" in tags:
        return MET
    if "possible-trafficking" in tags or not classifies_trafficking:
        return UNKNOWN
    return NOT_MET


def immigration_prescreen(
    result: ScreeningResult, facts: ImmigrationFacts | None = None, *, minor: bool | None = None
) -> ImmigrationPrescreen:
    """Pre-screen T visa, Continued Presence and U visa from a screening result and what else is known.

    ``minor`` defaults to what the result says (a child population, or the person under 18).
    """
    status = trafficking_status(result.route_tags, result.instrument.classifies_trafficking)
    return prescreen(status, facts or ImmigrationFacts(), minor=result.is_minor if minor is None else minor)

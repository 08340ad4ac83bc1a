"""Immigration relief pre-screen: flags *possible* eligibility and routes to an attorney, never decides.

Criteria are those of the T visa (8 U.S.C. 1101(a)(15)(T); 8 CFR 214.200-214.216), Continued
Presence (22 U.S.C. 7105(c)(3)) and the U visa (8 U.S.C. 1101(a)(15)(U)). Each criterion says
who decides it (``decided_by``):

- ``screening``: what the screener can check, met on a "yes";
- ``legal-elements-screen``: "victim of a severe form of trafficking in persons" (22 U.S.C.
  7102(11)) is decided only by an instrument of the US federal standard; any other instrument
  (the ILO/EC indicators follow the Palermo definition, which counts abuse of vulnerability)
  leaves it unknown and says to run the US legal-elements screen;
- ``attorney``: legal judgements (extreme hardship, admissibility, whether a request was
  reasonable, substantial abuse, the certification).

A screener's "no" never rules relief out: it hands the criterion to the attorney, with what the
screener reported, and the relief reads "needs more information", never "not indicated". Only a
legal-elements screen whose answers show no severe form can make the T visa and Continued
Presence "not indicated", and even then the U visa stays open (other qualifying crimes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from beacon.screening.engine.i18n import Message, Translate, message
from beacon.screening.engine.i18n import gettext_noop as _

if TYPE_CHECKING:
    from beacon.screening.engine.evaluation import ScreeningResult

MET, NOT_MET, UNKNOWN = "met", "not-met", "unknown"
NEEDS_FEDERAL_SPONSOR = "needs-federal-sponsor"
POSSIBLE, NEEDS_MORE_INFORMATION, NOT_INDICATED = "possible", "needs-more-information", "not-indicated"
SCREENING, LEGAL_ELEMENTS, ATTORNEY = "screening", "legal-elements-screen", "attorney"

# What the screener knows about law enforcement's requests (T visa, 8 U.S.C. 1101(a)(15)(T)(i)(III)).
COMPLIED, REFUSED, NEVER_ASKED = "complied", "refused", "never-asked"
# Which law enforcement is involved (Continued Presence needs a federal sponsor).
FEDERAL, LOCAL_ONLY, NONE = "federal", "local-only", "none"

QUALIFYING_CRIMES_NOTE = message(
    _(
        "Qualifying crimes include trafficking, involuntary servitude, peonage, slave trade, fraud in foreign "
        "labor contracting (18 U.S.C. 1351), extortion, blackmail, false imprisonment and others "
        "(8 U.S.C. 1101(a)(15)(U)(iii)): an attorney checks them."
    )
)
UNDER_16_NOTE = message(
    _(
        "For a victim under 16 (or incapacitated), a parent, guardian or next friend may possess the "
        "information and be the one who is helpful (8 U.S.C. 1101(a)(15)(U)(i)(II)-(III))."
    )
)
SCREENER_NO_NOTE = message(_("The screener answered no; that does not rule this out. The attorney decides."))


@dataclass(frozen=True, slots=True)
class ImmigrationFacts:
    """What the screener knows beyond the screening answers; None means not known."""

    present_in_us_on_account_of_trafficking: bool | None = None
    law_enforcement_request: str | None = None
    """complied / refused / never-asked (any reasonable request from law enforcement)."""
    unable_to_cooperate_due_to_trauma: bool | None = None
    suffered_substantial_abuse: bool | None = None
    has_information_about_crime: bool | None = None
    helpful_to_law_enforcement: bool | None = None
    law_enforcement_involved: str | None = None
    """federal / local-only / none."""
    filed_civil_action_1595: bool | None = None
    under_16: bool | None = None

    def __post_init__(self) -> None:
        if self.law_enforcement_request not in (None, COMPLIED, REFUSED, NEVER_ASKED):
            raise ValueError(f"law_enforcement_request must be {COMPLIED}, {REFUSED} or {NEVER_ASKED}")
        if self.law_enforcement_involved not in (None, FEDERAL, LOCAL_ONLY, NONE):
            raise ValueError(f"law_enforcement_involved must be {FEDERAL}, {LOCAL_ONLY} or {NONE}")


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    text: Message
    status: str
    decided_by: str
    reported: bool | None = None
    """The screener's own answer when it was a "no" handed to the attorney (None otherwise)."""
    notes: tuple[Message, ...] = ()
    pending: bool = False
    """An open question the attorney decides that still keeps the relief at "needs more information"."""

    def to_dict(self, language: str, translate: Translate | None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "text": self.text.render(language, translate),
            "status": self.status,
            "decided_by": self.decided_by,
        }
        if self.reported is not None:
            data["screener_answered"] = "yes" if self.reported else "no"
        if self.notes:
            data["notes"] = [note.render(language, translate) for note in self.notes]
        return data

    @property
    def open_for_screener(self) -> bool:
        """Counts against "possible": the screener's part, or a screener's no the attorney must weigh."""
        return self.decided_by in (SCREENING, LEGAL_ELEMENTS) or self.reported is False or self.pending


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
                _("This flags possible eligibility only. An immigration attorney decides; refer the person to one.")
            ).render(language, translate),
            "t_visa": self.t_visa.to_dict(language, translate),
            "continued_presence": self.continued_presence.to_dict(language, translate),
            "u_visa": self.u_visa.to_dict(language, translate),
        }


def _screener(criterion_id: str, text: Message, value: bool | None, *notes: Message) -> Criterion:
    """A fact the screener checks: a yes meets it; a no goes to the attorney and never closes it."""
    if value is None:
        return Criterion(criterion_id, text, UNKNOWN, SCREENING, notes=notes)
    if value:
        return Criterion(criterion_id, text, MET, SCREENING, notes=notes)
    return Criterion(criterion_id, text, UNKNOWN, ATTORNEY, reported=False, notes=(SCREENER_NO_NOTE, *notes))


def _status(criteria: tuple[Criterion, ...]) -> str:
    if any(criterion.status == NOT_MET for criterion in criteria):
        return NOT_INDICATED  # only the legal-elements screen's own finding sets a criterion not met
    checked = [criterion for criterion in criteria if criterion.open_for_screener]
    if all(criterion.status == MET for criterion in checked):
        return POSSIBLE
    if any(criterion.status == NEEDS_FEDERAL_SPONSOR for criterion in checked):
        return NEEDS_FEDERAL_SPONSOR
    return NEEDS_MORE_INFORMATION


def _victim(severe_form: str | None) -> Criterion:
    text = message(_("Victim of a severe form of trafficking in persons (22 U.S.C. 7102(11))."))
    if severe_form is None:
        return Criterion(
            "trafficking_victim",
            text,
            UNKNOWN,
            LEGAL_ELEMENTS,
            notes=(
                message(
                    _(
                        "This instrument does not evaluate the US definition: run the US legal-elements "
                        "screen to decide this criterion."
                    )
                ),
            ),
        )
    return Criterion("trafficking_victim", text, severe_form, SCREENING)


def _cooperation(facts: ImmigrationFacts, minor: bool) -> Criterion:
    text = message(
        _(
            "Complied with any reasonable request from law enforcement, unless under 18 or unable to "
            "cooperate because of physical or psychological trauma."
        )
    )
    # The T visa excuses cooperation for a person under 18 or unable to cooperate because of trauma.
    if minor or facts.law_enforcement_request == COMPLIED or facts.unable_to_cooperate_due_to_trauma:
        return Criterion("law_enforcement_cooperation", text, MET, SCREENING)
    if facts.law_enforcement_request == NEVER_ASKED:
        note = message(
            _("Law enforcement never asked: that is not refusing a reasonable request. The attorney decides.")
        )
        return Criterion("law_enforcement_cooperation", text, UNKNOWN, ATTORNEY, reported=False, notes=(note,))
    if facts.law_enforcement_request == REFUSED:
        note = message(
            _(
                "Whether a request was reasonable, and whether trauma explains not complying, is a legal "
                "judgement: the attorney decides."
            )
        )
        return Criterion("law_enforcement_cooperation", text, UNKNOWN, ATTORNEY, reported=False, notes=(note,))
    return Criterion("law_enforcement_cooperation", text, UNKNOWN, SCREENING)


def _federal_sponsor(facts: ImmigrationFacts) -> Criterion:
    text = message(_("Federal law enforcement requests it; no one else can."))
    involved = facts.law_enforcement_involved
    if involved == FEDERAL:
        return Criterion("federal_law_enforcement_request", text, MET, SCREENING)
    if involved == LOCAL_ONLY:
        note = message(
            _(
                "Only local police are involved: Continued Presence needs a federal law-enforcement sponsor, "
                "and local police can ask a federal partner to request it."
            )
        )
        return Criterion("federal_law_enforcement_request", text, NEEDS_FEDERAL_SPONSOR, SCREENING, notes=(note,))
    if involved == NONE:
        note = message(
            _("No law enforcement is involved yet: Continued Presence needs a federal law-enforcement sponsor.")
        )
        return Criterion("federal_law_enforcement_request", text, NEEDS_FEDERAL_SPONSOR, SCREENING, notes=(note,))
    return Criterion("federal_law_enforcement_request", text, UNKNOWN, SCREENING)


def prescreen(
    severe_form: str | None,
    facts: ImmigrationFacts,
    *,
    minor: bool,
    other_qualifying_crime: bool = False,
) -> ImmigrationPrescreen:
    """The pre-screen of the three forms of relief.

    ``severe_form`` is met / unknown / not-met from an instrument of the US federal standard, or None
    when the instrument does not evaluate it. ``other_qualifying_crime``: the answers point to a
    U-visa qualifying crime other than trafficking.
    """
    victim = _victim(severe_form)
    t_criteria = (
        victim,
        _screener(
            "physical_presence",
            message(
                _(
                    "Physically present in the United States, American Samoa, the Northern Mariana Islands "
                    "or at a port of entry on account of trafficking."
                )
            ),
            facts.present_in_us_on_account_of_trafficking,
        ),
        _cooperation(facts, minor),
        Criterion(
            "extreme_hardship",
            message(_("Would suffer extreme hardship involving unusual and severe harm if removed.")),
            UNKNOWN,
            ATTORNEY,
        ),
        Criterion("admissibility", message(_("Admissible, or granted a waiver.")), UNKNOWN, ATTORNEY),
    )
    witness = (
        facts.has_information_about_crime
        or facts.filed_civil_action_1595
        or (None if facts.has_information_about_crime is None or facts.filed_civil_action_1595 is None else False)
    )
    cp_criteria = (
        victim,
        _screener(
            "potential_witness",
            message(
                _(
                    "A potential witness (has information about the trafficking), or has filed a civil action "
                    "under 18 U.S.C. 1595."
                )
            ),
            witness,
        ),
        _federal_sponsor(facts),
    )
    child_rule = (UNDER_16_NOTE,) if minor or facts.under_16 else ()
    if severe_form == MET:
        qualifying = Criterion(
            "qualifying_crime",
            message(_("Victim of a qualifying crime; trafficking is one.")),
            MET,
            SCREENING,
        )
    else:
        notes = [QUALIFYING_CRIMES_NOTE]
        if other_qualifying_crime:
            notes.insert(
                0,
                message(_("The answers point to a qualifying crime other than trafficking that may apply.")),
            )
        qualifying = Criterion(
            "qualifying_crime",
            message(_("Victim of a qualifying crime; trafficking is one, and an attorney checks the others.")),
            UNKNOWN,
            ATTORNEY,
            notes=tuple(notes),
            pending=True,
        )
    abuse_notes = [
        message(
            _(
                "USCIS decides whether the abuse was substantial, on the factors of 8 CFR 214.14(b)(1); "
                "record what the person described."
            )
        )
    ]
    if facts.suffered_substantial_abuse is False:
        abuse_notes.insert(0, SCREENER_NO_NOTE)
    u_criteria = (
        qualifying,
        Criterion(
            "substantial_abuse",
            message(_("Suffered substantial physical or mental abuse.")),
            UNKNOWN,
            ATTORNEY,
            reported=facts.suffered_substantial_abuse,
            notes=tuple(abuse_notes),
        ),
        _screener(
            "has_information",
            message(_("Has information about the crime.")),
            facts.has_information_about_crime,
            *child_rule,
        ),
        _screener(
            "helpful",
            message(_("Has been, is, or is likely to be helpful to law enforcement.")),
            facts.helpful_to_law_enforcement,
            *child_rule,
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
            "8 U.S.C. 1101(a)(15)(T); 8 CFR 214.200-214.216",
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
                    "Only federal law enforcement can request Continued Presence, for a potential witness or a "
                    "victim who has filed a civil action under 18 U.S.C. 1595. It gives temporary status with "
                    "work authorization (2 years, renewable)."
                )
            ),
        ),
        u_visa=ReliefScreen(
            "u_visa",
            "8 U.S.C. 1101(a)(15)(U)",
            # A U visa is never "not indicated" by a screening: trafficking is one qualifying crime of many.
            _status(u_criteria),
            u_criteria,
            message(_("U visas are capped at 10,000 a year and need a law enforcement certification.")),
        ),
    )


def immigration_prescreen(
    result: ScreeningResult, facts: ImmigrationFacts | None = None, *, minor: bool | None = None
) -> ImmigrationPrescreen:
    """Pre-screen T visa, Continued Presence and U visa from a screening result and what else is known.

    ``minor`` defaults to what the result says (a child population, or the person under 18).
    """
    return prescreen(
        result.severe_form,
        facts or ImmigrationFacts(),
        minor=result.is_minor if minor is None else minor,
        other_qualifying_crime="u-visa-qualifying-crime" in result.route_tags,
    )

"""Reads for screenings, scoped by the access policy. Reads of answers and results are audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import get_language, gettext

from beacon.access.policy import Action, RecordRefused, can, scope_queryset
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases.models import Case
from beacon.crypto.fields import encrypted_fields
from beacon.directory.selectors import match_providers
from beacon.screening import interview_texts, services
from beacon.screening.engine import Instrument, ScreeningInputError, get_instrument, load_instruments, localize
from beacon.screening.models import Screening, Status
from beacon.tips.models import Tip

# Encrypted columns are left out of lists: rows show ids, dates and codes only (no decryption, no audit).
HEAVY_FIELDS = ("answers", "result", "notes")
LIST_LIMIT = 50


def visible_screenings(user: Any, action: str = Action.VIEW) -> QuerySet[Screening]:
    return scope_queryset(user, action, "screening", Screening.objects.all())


def _list_qs(qs: QuerySet[Screening]) -> QuerySet[Screening]:
    related = Screening._meta.get_field("case").related_model, Screening._meta.get_field("tip").related_model
    deferred = [
        f"{prefix}__{f.name}"
        for prefix, model in zip(("case", "tip"), related, strict=True)
        for f in encrypted_fields(model)
    ]
    return (
        qs.select_related("case", "tip", "screener", "agency")
        .defer(*HEAVY_FIELDS, *deferred)
        .order_by("-started_at", "-id")
    )


def screening_list(
    user: Any,
    *,
    case: Any = None,
    tip: Any = None,
    status: str = "",
    mine: bool = False,
    limit: int = LIST_LIMIT,
    offset: int = 0,
) -> list[Screening]:
    """The screenings `user` may see, newest first: a case's or tip's history, or everything in scope."""
    qs = visible_screenings(user)
    if case is not None:
        qs = qs.filter(case=case)
    if tip is not None:
        qs = qs.filter(tip=tip)
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(screener_id=user.pk)
    return list(_list_qs(qs)[offset : offset + limit])


def in_progress(user: Any, *, limit: int = 10) -> list[Screening]:
    """The user's own unfinished screenings, to resume (home panel)."""
    return screening_list(user, status=Status.IN_PROGRESS, mine=True, limit=limit)


def get_screening(user: Any, public_id: str, *, action: str = Action.VIEW, reason: str = "screening page") -> Screening:
    """One screening `user` may act on; a VIEW is audited (answers and results are personal data)."""
    screening = (
        Screening.objects.select_related("case", "case__person", "case__county", "tip", "screener", "agency")
        .filter(public_id=public_id)
        .first()
    )
    if screening is None:
        raise Http404
    if not can(user, action, "screening", screening):
        raise RecordRefused(screening, action)
    if action == Action.VIEW:
        record(user, AuditAction.VIEW, screening, reason=reason)
    return screening


def full_access(user: Any, screening: Screening) -> bool:
    """Own and agency scope read the interviewer's notes; a shared case's receiving agency does not."""
    return screening.screener_id == user.pk or (user.agency_id is not None and screening.agency_id == user.agency_id)


# Languages -----------------------------------------------------------------------------------------------


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def has_text(text: Any, language: str) -> bool:
    """Whether an instrument text exists in `language` (or its base language) rather than falling back."""
    return bool(text) and (language in text or language.split("-", 1)[0] in text)


def instrument_has_language(instrument: Instrument, language: str) -> bool:
    return language in instrument.languages or language.split("-", 1)[0] in instrument.languages


def instrument_choices(language: str) -> list[tuple[str, str]]:
    """("instrument|population", "Title: population") for every installed instrument and population."""
    options = []
    for instrument in load_instruments().values():
        title = localize(instrument.title, language)
        for population in instrument.populations.values():
            options.append((f"{instrument.id}|{population.id}", f"{title}: {localize(population.label, language)}"))
    return options


# Questions -----------------------------------------------------------------------------------------------


@dataclass
class Question:
    number: int
    id: str
    question: str
    help: str
    text: str
    dimension: str
    fallback: bool
    unconfirmed: str
    answer: str
    from_tip: list[str] = field(default_factory=list)
    """The tip's signs that point to this item (in the staff language), when it is not answered yet."""
    number_label: str = ""
    """"Question 3 of 20" in the interview language."""

    @property
    def suggested(self) -> str:
        """The answer pre-selected for the interviewer to confirm: yes where the tip's signs point to it."""
        return "yes" if self.from_tip and not self.answer else ""


@dataclass
class Interview:
    screening: Screening
    instrument: Instrument
    questions: list[Question]
    language: str
    language_fallback: bool
    answered: int
    total: int
    groups: dict[str, str] = field(default_factory=dict)
    title: str = ""
    population_label: str = ""
    # The words around the questions, in the interview language (beacon.screening.interview_texts).
    choices: list[tuple[str, str]] = field(default_factory=list)
    not_asked: str = ""
    shown_in_english: str = ""
    unconfirmed: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def fallback_count(self) -> int:
        return sum(1 for q in self.questions if q.fallback)


def interview(screening: Screening) -> Interview:
    """The screening's questions in its interview language (English where a text is missing)."""
    instrument = get_instrument(screening.instrument_id)
    plan = instrument.plan(screening.population)
    language = screening.language
    answers = screening.answers or {}
    tip_signs = screening.tip_signs or {}
    staff_language = get_language() or "en"
    signs = get_instrument(services.RED_FLAGS).items_by_id
    total = len(plan.items)
    questions = []
    for number, item in enumerate(plan.items, start=1):
        note = item.unconfirmed.get(screening.population)
        from_tip = [
            localize(signs[sign].text, staff_language)
            for sign in tip_signs.get(item.id, ())
            if sign in signs and not answers.get(item.id)
        ]
        questions.append(
            Question(
                number=number,
                id=item.id,
                question=localize(item.question, language),
                help=localize(item.help, language) if item.help else "",
                text=localize(item.text, language),
                dimension=item.dimension or "",
                fallback=not has_text(item.question, language),
                unconfirmed=localize(note, language) if note else "",
                answer=answers.get(item.id, ""),
                from_tip=from_tip,
                number_label=interview_texts.question_count(language, number, total),
            )
        )
    groups = {group.id: localize(group.label, language) for group in instrument.groups}
    return Interview(
        screening=screening,
        instrument=instrument,
        questions=questions,
        language=language,
        language_fallback=not instrument_has_language(instrument, language),
        answered=sum(1 for q in questions if q.answer),
        total=len(questions),
        groups=groups,
        title=localize(instrument.title, language),
        population_label=localize(instrument.populations[screening.population].label, language),
        choices=interview_texts.answer_choices(language),
        not_asked=interview_texts.not_asked(language),
        shown_in_english=interview_texts.shown_in_english(language, language_name(language)),
        unconfirmed=interview_texts.unconfirmed(language),
    )


# Results -------------------------------------------------------------------------------------------------


@dataclass
class ResultView:
    data: dict[str, Any]
    language: str
    language_fallback: bool
    live: bool  # rendered by evaluating again (same version) rather than from the stored English JSON
    reproduction: services.Reproduction
    services: list[str]
    prescreen: dict[str, Any] | None
    title: str = ""
    population_label: str = ""


def result_view(screening: Screening, language: str) -> ResultView:
    """The finished screening's result in `language`.

    When the loaded instrument is the one the screening used, the stored answers are evaluated again
    to render texts in `language` (evaluation is deterministic: the same result); otherwise the stored
    result is shown as it was recorded, in English.
    """
    reproduction = services.reproduce(screening)
    data: dict[str, Any] = screening.result or {}
    live = False
    fallback = language != "en"
    if reproduction.matches and reproduction.version_matches:
        instrument = get_instrument(screening.instrument_id)
        with translation.override(language):
            data = services.evaluate_screening(screening, instrument).to_dict(language=language, translate=gettext)
        live = True
        fallback = not instrument_has_language(instrument, language)
    categories: list[str] = []
    prescreen = None
    for step in data.get("next_steps", []):
        for category in step.get("services", []):
            if category not in categories:
                categories.append(category)
        prescreen = prescreen or step.get("prescreen")
    title, population_label = screening.instrument_id, screening.population
    try:
        instrument = get_instrument(screening.instrument_id)
        title = localize(instrument.title, language)
        population_label = localize(instrument.populations[screening.population].label, language)
    except (ScreeningInputError, KeyError):
        pass  # an instrument no longer installed: its ids are shown instead
    return ResultView(
        data=data,
        language=language,
        language_fallback=fallback,
        live=live,
        reproduction=reproduction,
        services=categories,
        prescreen=prescreen,
        title=title,
        population_label=population_label,
    )


def directory_matches(
    user: Any, screening: Screening, categories: list[str], *, per_category: int = 3, max_categories: int = 12
) -> list[dict[str, Any]]:
    """Matching directory providers for the suggested service categories (county and language of the case)."""
    if not categories or not can(user, Action.VIEW, "directory"):
        return []
    county = language = None
    populations: list[str] = []
    case = screening.case
    if case is not None:
        county = case.county.fips if case.county_id and case.county else None
        person = case.person
        language = (person.languages or [None])[0]
    if screening.minor:
        populations.append("minors")
    if screening.foreign_national:
        populations.append("foreign_nationals")
    rows = []
    for category in categories[:max_categories]:
        matches = match_providers(
            user, service=category, county_fips=county, language=language, populations=populations, limit=per_category
        )
        rows.append({"category": category, "matches": matches, "county": county or "", "language": language or ""})
    return rows


def history(user: Any, screening: Screening) -> list[Screening]:
    """Every screening of the same case or tip that `user` may see (this one included)."""
    if screening.case_id:
        return screening_list(user, case=screening.case)
    return screening_list(user, tip=screening.tip)


def subject_for(user: Any, *, case_id: str = "", tip_id: str = "") -> tuple[Any, Any]:
    """The case or tip a new screening is for, when `user` may see it (404 otherwise)."""
    case = tip = None
    if case_id:
        case = Case.objects.select_related("person", "county").filter(public_id=case_id).first()
        if case is None or not can(user, Action.VIEW, "case", case):
            raise Http404
    if tip_id:
        tip = Tip.objects.filter(public_id=tip_id).first()
        if tip is None or not can(user, Action.VIEW, "tip", tip):
            raise Http404
    return case, tip


def defaults_for(case: Any, tip: Any) -> dict[str, Any]:
    """Context flags suggested by what the record already says; the interviewer confirms them."""
    initial: dict[str, Any] = {}
    if case is not None:
        person = case.person
        initial["minor"] = bool(person.minor_at_intake)
        initial["foreign_national"] = bool(person.citizenship) and person.citizenship != "USA"
        if person.languages:
            initial["language"] = person.languages[0]
    if tip is not None:
        initial["immediate_danger"] = bool(getattr(tip, "danger_now", False))
        if getattr(tip, "child_involved", "") == "yes":
            initial["minor"] = True
        if getattr(tip, "language", ""):
            initial.setdefault("language", tip.language)
    return initial


def parse_plan(value: str) -> tuple[str, str]:
    instrument_id, _sep, population = (value or "").partition("|")
    if not instrument_id or not population:
        raise ScreeningInputError("choose an instrument and a population")
    return instrument_id, population

"""Staff screens for screening: start, ask (one at a time or the whole list), review, result, print."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from beacon.access.policy import AccessDenied, Action, can
from beacon.screening import selectors, services
from beacon.screening.engine import ANSWERS, ScreeningInputError
from beacon.screening.forms import ANSWER_LABELS, LanguageForm, ReviewForm, SafetyForm, StartForm
from beacon.screening.models import Mode, Screening, Status
from beacon.web.decorators import StaffRequest, staff_view
from beacon.web.forms import choice_field

DEFAULT_PLAN = "ilo-2009|adult-labour"


def _errors(request: HttpRequest, exc: Exception) -> None:
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


def _resume_url(screening: Screening) -> str:
    if screening.is_completed:
        return reverse("screening:result", args=[screening.public_id])
    if not screening.safety_cleared:
        return reverse("screening:safety", args=[screening.public_id])
    if screening.mode == Mode.WHOLE_LIST:
        return reverse("screening:answers", args=[screening.public_id])
    return reverse("screening:ask", args=[screening.public_id])


@staff_view("screening", Action.VIEW)
def screening_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    case, tip = selectors.subject_for(user, case_id=request.GET.get("case", ""), tip_id=request.GET.get("tip", ""))
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    rows = selectors.screening_list(user, case=case, tip=tip, status=status)
    return render(
        request,
        "screening/list.html",
        {
            "rows": rows,
            "case": case,
            "tip": tip,
            "status": status,
            "statuses": Status.choices,
            "can_create": can(user, Action.CREATE, "screening") and (case is not None or tip is not None),
        },
    )


@staff_view("screening", Action.CREATE)
@require_http_methods(["GET", "POST"])
def new(request: StaffRequest) -> HttpResponse:
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    case, tip = selectors.subject_for(user, case_id=source.get("case", ""), tip_id=source.get("tip", ""))
    language = get_language() or "en"
    plans = selectors.instrument_choices(language)
    initial = {
        "case": case.public_id if case else "",
        "tip": tip.public_id if tip else "",
        "language": language,
        **selectors.defaults_for(case, tip),
    }
    if initial.get("language") not in dict(choice_field(StartForm.base_fields, "language").choices):
        initial["language"] = "en"
    if plans and not source.get("plan"):
        codes = [code for code, _label in plans]
        initial["plan"] = DEFAULT_PLAN if DEFAULT_PLAN in codes else codes[0]
    form = StartForm(request.POST if request.method == "POST" else None, plans=plans, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instrument_id, population = selectors.parse_plan(data["plan"])
            screening = services.start_screening(
                user,
                instrument_id=instrument_id,
                population=population,
                case=case,
                tip=tip,
                language=data["language"],
                mode=data["mode"],
                immediate_danger=data["immediate_danger"],
                minor=data["minor"],
                foreign_national=data["foreign_national"],
                request_key=data["request_key"],
            )
        except (ValidationError, ScreeningInputError) as exc:
            _errors(request, exc)
        else:
            return redirect(_resume_url(screening))
    previous = selectors.screening_list(user, case=case, tip=tip, limit=10) if (case or tip) else []
    return render(request, "screening/new.html", {"form": form, "case": case, "tip": tip, "previous": previous})


@staff_view("screening", Action.VIEW)
def detail(request: StaffRequest, public_id: str) -> HttpResponse:
    screening = selectors.get_screening(request.user, public_id, action=Action.VIEW, reason="screening opened")
    if not screening.is_completed and not can(request.user, Action.UPDATE, "screening", screening):
        # Someone who may read but not continue it (a supervisor elsewhere, a shared case): progress only.
        return render(
            request, "screening/in_progress.html", {"screening": screening, "view": selectors.interview(screening)}
        )
    return redirect(_resume_url(screening))


def _in_progress(request: HttpRequest, public_id: str, reason: str) -> Screening:
    """A screening the user may continue; finished ones send the user to the result instead."""
    screening = selectors.get_screening(request.user, public_id, reason=reason)
    if not can(request.user, Action.UPDATE, "screening", screening):
        raise AccessDenied("only the screener continues a screening")
    return screening


@staff_view("screening", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def safety(request: StaffRequest, public_id: str) -> HttpResponse:
    """Before any question: safe to talk now, an independent interpreter, confidentiality and its limits,
    the right to stop. Recorded with the screening; "not safe" is recorded too and stops here."""
    screening = _in_progress(request, public_id, reason="screening safety step")
    if screening.is_completed:
        return redirect("screening:result", screening.public_id)
    form = SafetyForm(request.POST or None)
    stopped = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_safety_step(
                request.user,
                screening,
                safe_to_talk=data["safe_to_talk"] == "yes",
                interpreter=data.get("interpreter") or "",
                confidentiality_explained=data["confidentiality_explained"],
                right_to_stop_explained=data["right_to_stop_explained"],
                agreed_to_continue=data["agreed_to_continue"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            if screening.safety_cleared:
                return redirect(_resume_url(screening))
            stopped = True
    return render(request, "screening/safety.html", {"screening": screening, "form": form, "stopped": stopped})


def _needs_safety(screening: Screening) -> HttpResponse | None:
    if screening.is_completed:
        return redirect("screening:result", screening.public_id)
    if not screening.safety_cleared:
        return redirect("screening:safety", screening.public_id)
    return None


@staff_view("screening", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def ask(request: StaffRequest, public_id: str) -> HttpResponse:
    """One question at a time. Every answer is saved before moving on, so leaving loses nothing."""
    screening = _in_progress(request, public_id, reason="screening question")
    if (elsewhere := _needs_safety(screening)) is not None:
        return elsewhere
    view = selectors.interview(screening)
    total = view.total
    if request.method == "POST":
        number = _int(request.POST.get("n"), screening.position + 1)
        item = request.POST.get("item", "")
        answer = request.POST.get("answer", "")
        action = request.POST.get("action", "next")
        step = {"next": 1, "back": -1}.get(action, 0)
        target = number - 1 + step if action in ("next", "back") else number - 1
        try:
            services.save_answers(
                request.user, screening, {item: answer} if item else {}, position=max(0, min(target, total))
            )
        except (ValidationError, ScreeningInputError) as exc:
            _errors(request, exc)
            return redirect(f"{reverse('screening:ask', args=[screening.public_id])}?n={number}")
        if action == "review" or target >= total:
            return redirect("screening:review", screening.public_id)
        return redirect(f"{reverse('screening:ask', args=[screening.public_id])}?n={target + 1}")
    number = _int(request.GET.get("n"), min(screening.position, total - 1) + 1)
    number = max(1, min(number, total))
    question = view.questions[number - 1]
    return render(
        request,
        "screening/ask.html",
        {
            "screening": screening,
            "view": view,
            "q": question,
            "number": number,
            "total": total,
            "language_form": LanguageForm(initial={"language": screening.language}),
            "language_name": selectors.language_name(screening.language),
        },
    )


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@staff_view("screening", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def answers(request: StaffRequest, public_id: str) -> HttpResponse:
    """The whole list on one page; with JavaScript each change is saved as it is made."""
    screening = _in_progress(request, public_id, reason="screening answers")
    if (elsewhere := _needs_safety(screening)) is not None:
        return elsewhere
    view = selectors.interview(screening)
    if request.method == "POST":
        posted = {q.id: request.POST.get(f"a_{q.id}", "") for q in view.questions if f"a_{q.id}" in request.POST}
        try:
            services.save_answers(request.user, screening, posted)
        except (ValidationError, ScreeningInputError) as exc:
            if request.headers.get("HX-Request"):
                return HttpResponse(" ".join(getattr(exc, "messages", [str(exc)])), status=422)
            _errors(request, exc)
            for question in view.questions:  # keep what was chosen
                question.answer = posted.get(question.id, question.answer)
            return render(request, "screening/answers.html", _answers_context(screening, view), status=422)
        if request.headers.get("HX-Request"):
            answered = len(screening.answers)
            return render(
                request,
                "screening/_saved.html",
                {"answered": answered, "total": view.total, "at": timezone.localtime()},
            )
        if request.POST.get("action") == "review":
            return redirect("screening:review", screening.public_id)
        messages.success(request, _("Answers saved."))
        return redirect("screening:answers", screening.public_id)
    return render(request, "screening/answers.html", _answers_context(screening, view))


def _answers_context(screening: Screening, view: selectors.Interview) -> dict[str, Any]:
    return {
        "screening": screening,
        "view": view,
        "language_form": LanguageForm(initial={"language": screening.language}),
        "language_name": selectors.language_name(screening.language),
    }


@staff_view("screening", Action.UPDATE)
@require_POST
def change_settings(request: StaffRequest, public_id: str) -> HttpResponse:
    """Switch the interview language or the way of asking, keeping every answer."""
    screening = _in_progress(request, public_id, reason="screening settings")
    changes: dict[str, Any] = {}
    if "language" in request.POST:
        form = LanguageForm(request.POST)
        if form.is_valid():
            changes["language"] = form.cleaned_data["language"]
        else:
            messages.error(request, _("Choose a language from the list."))
    if request.POST.get("mode") in Mode.values:
        changes["mode"] = request.POST["mode"]
    if changes and not screening.is_completed:
        try:
            services.update_settings(request.user, screening, **changes)
        except ValidationError as exc:
            _errors(request, exc)
    return redirect(_resume_url(screening))


@staff_view("screening", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def review(request: StaffRequest, public_id: str) -> HttpResponse:
    """Before finishing: what is answered, the context flags and the notes."""
    screening = _in_progress(request, public_id, reason="screening review")
    if (elsewhere := _needs_safety(screening)) is not None:
        return elsewhere
    view = selectors.interview(screening)
    initial = {
        "immediate_danger": screening.immediate_danger,
        "minor": screening.minor,
        "foreign_national": screening.foreign_national,
        "notes": screening.notes,
    }
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(request.user, screening, **form.cleaned_data)
            if request.POST.get("action") == "finish":
                services.complete_screening(request.user, screening)
                messages.success(request, _("Screening finished."))
                return redirect("screening:result", screening.public_id)
        except (ValidationError, ScreeningInputError) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("screening:review", screening.public_id)
    counts = [(ANSWER_LABELS[code], sum(1 for q in view.questions if q.answer == code)) for code in ANSWERS]
    return render(
        request,
        "screening/review.html",
        {
            "screening": screening,
            "view": view,
            "form": form,
            "counts": counts,
            "not_asked": view.total - view.answered,
        },
    )


def _result_context(request: HttpRequest, screening: Screening) -> dict[str, Any]:
    user = request.user
    language = request.GET.get("lang") or get_language() or "en"
    if language not in dict(choice_field(StartForm.base_fields, "language").choices):
        language = "en"
    result = selectors.result_view(screening, language)
    return {
        "screening": screening,
        "result": result,
        "data": result.data,
        "matches": selectors.directory_matches(user, screening, result.services),
        "history": selectors.history(user, screening),
        "full_access": selectors.full_access(user, screening),
        "may_rescreen": can(user, Action.CREATE, "screening"),
        "language_name": selectors.language_name(language),
        "interview_language": screening.language,
    }


@staff_view("screening", Action.VIEW)
def result(request: StaffRequest, public_id: str) -> HttpResponse:
    screening = selectors.get_screening(request.user, public_id, reason="screening result")
    if not screening.is_completed:
        return redirect(_resume_url(screening))
    return render(request, "screening/result.html", _result_context(request, screening))


@staff_view("screening", Action.VIEW)
def print_view(request: StaffRequest, public_id: str) -> HttpResponse:
    screening = selectors.get_screening(request.user, public_id, reason="screening printed")
    if not screening.is_completed:
        raise Http404
    context = _result_context(request, screening)
    context["printing"] = True
    return render(request, "screening/print.html", context)


@staff_view("screening", Action.CREATE)
@require_POST
def rescreen(request: StaffRequest, public_id: str) -> HttpResponse:
    previous = selectors.get_screening(request.user, public_id, reason="re-screening")
    try:
        screening = services.rescreen(request.user, previous, request_key=request.POST.get("request_key", ""))
    except (ValidationError, ScreeningInputError) as exc:
        _errors(request, exc)
        return redirect("screening:result", previous.public_id)
    messages.success(request, _("A new screening was started; the earlier one is kept in the history."))
    return redirect(_resume_url(screening))

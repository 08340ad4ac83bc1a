"""Staff screens: start from a case or tip, ask one at a time or the whole list, resume, finish, print."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from beacon.screening import services
from beacon.screening.models import Screening
from beacon.screening.tests.conftest import TRAFFICKING

pytestmark = pytest.mark.django_db


SAFE = {
    "safe_to_talk": "yes",
    "interpreter": "independent",
    "confidentiality_explained": "on",
    "right_to_stop_explained": "on",
    "agreed_to_continue": "on",
}


def _start(client, case, **fields):
    """Start a screening and go through the safety and consent step; returns where the questions begin."""
    data = {
        "case": case.public_id,
        "plan": "ilo-2009|adult-labour",
        "language": "en",
        "mode": "one",
        "request_key": "",
        **fields,
    }
    response = client.post(reverse("screening:new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    screening = Screening.objects.latest("id")
    assert response["Location"] == reverse("screening:safety", args=[screening.public_id])
    response = client.post(response["Location"], SAFE)
    assert response.status_code == 302, response.content.decode()[:2000]
    return screening, response["Location"]


def _no_inline_code(html: str) -> None:
    assert "style=" not in html and "onclick" not in html and "<script>" not in html


def test_the_start_page_suggests_context_from_the_case(staff, case, staff_client):
    html = staff_client(staff["cw"]).get(reverse("screening:new") + f"?case={case.public_id}").content.decode()
    assert "Start a screening" in html
    assert re.search(r'name="foreign_national"[^>]*checked', html)  # citizenship MEX
    assert '<option value="es" selected>' in html  # the person's first language
    _no_inline_code(html)


def test_one_question_at_a_time_saves_each_answer_and_finishes(staff, case, staff_client):
    client = staff_client(staff["cw"])
    screening, location = _start(client, case, foreign_national="on")
    assert location == reverse("screening:ask", args=[screening.public_id])
    html = client.get(location).content.decode()
    assert "Question 1 of 67" in html and "Was the person deceived about the kind of job" in html
    assert "0 of 67 questions answered" in html
    _no_inline_code(html)
    response = client.post(location, {"item": "DR01", "n": "1", "answer": "yes", "action": "next"})
    assert response["Location"].endswith("?n=2")
    screening.refresh_from_db()
    assert screening.answers == {"DR01": "yes"} and screening.position == 1
    html = client.get(response["Location"]).content.decode()
    assert "Question 2 of 67" in html and "1 of 67 questions answered" in html
    for n, item in enumerate(["DR02", "EX01", "EX02", "CD01", "CD02"], start=2):
        client.post(location, {"item": item, "n": str(n), "answer": "yes", "action": "next"})
    response = client.post(location, {"item": "DR03", "n": "3", "answer": "no", "action": "review"})
    assert response["Location"] == reverse("screening:review", args=[screening.public_id])
    html = client.get(response["Location"]).content.decode()
    assert "Finish and see the result" in html
    response = client.post(
        response["Location"], {"foreign_national": "on", "notes": "Interview at the clinic.", "action": "finish"}
    )
    assert response["Location"] == reverse("screening:result", args=[screening.public_id])
    screening.refresh_from_db()
    assert screening.determination == "trafficking" and screening.notes == "Interview at the clinic."
    html = client.get(response["Location"]).content.decode()
    assert "Trafficking indicated" in html
    assert "Immigration relief pre-screen: possible eligibility only" in html
    assert "Interview at the clinic." in html
    _no_inline_code(html)


def test_back_goes_to_the_previous_question_keeping_the_answer(staff, case, staff_client):
    client = staff_client(staff["cw"])
    _screening, location = _start(client, case)
    client.post(location, {"item": "DR01", "n": "1", "answer": "no", "action": "next"})
    response = client.post(location, {"item": "DR02", "n": "2", "answer": "yes", "action": "back"})
    assert response["Location"].endswith("?n=1")
    html = client.get(response["Location"]).content.decode()
    assert re.search(r'value="no"\s+checked', html)


def test_an_interrupted_screening_resumes_where_it_stopped(staff, case, staff_client):
    client = staff_client(staff["cw"])
    screening, location = _start(client, case)
    for n, item in enumerate(["DR01", "DR02", "DR03"], start=1):
        client.post(location, {"item": item, "n": str(n), "answer": "no", "action": "next"})
    home = client.get(reverse("web:home")).content.decode()
    assert "Screenings in progress" in home and f"Resume screening {screening.public_id}" in home
    response = client.get(reverse("screening:detail", args=[screening.public_id]))
    assert response["Location"] == location
    html = client.get(location).content.decode()
    assert "Question 4 of 67" in html and "3 of 67 questions answered" in html


def test_the_whole_list_saves_all_answers_and_keeps_them_on_error(staff, case, staff_client):
    client = staff_client(staff["cw"])
    screening, location = _start(client, case, mode="all")
    assert location == reverse("screening:answers", args=[screening.public_id])
    html = client.get(location).content.decode()
    assert html.count("<fieldset") == 67 and "Coercion at destination" in html
    response = client.post(location, {"a_DR01": "yes", "a_DR02": "no", "a_DR03": "", "action": "save"})
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.answers == {"DR01": "yes", "DR02": "no"}
    response = client.post(location, {"a_DR01": "no", "a_DR02": "perhaps"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "invalid answers" in html
    assert re.search(r'id="a-DR01-no"[^>]*checked', html)  # what was chosen is kept
    screening.refresh_from_db()
    assert screening.answers == {"DR01": "yes", "DR02": "no"}


def test_the_whole_list_autosaves_each_change(staff, case, staff_client):
    client = staff_client(staff["cw"])
    screening, location = _start(client, case, mode="all")
    response = client.post(location, {"a_EX01": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Saved at" in response.content.decode() and "1 of 67" in response.content.decode()
    screening.refresh_from_db()
    assert screening.answers == {"EX01": "yes"}


def test_questions_in_a_language_the_instrument_lacks_fall_back_to_english_with_a_note(staff, case, staff_client):
    client = staff_client(staff["cw"])
    _screening, location = _start(client, case, language="pl")
    html = client.get(location).content.decode()
    assert "This instrument has no texts in Polski: the questions are shown in English." in html
    assert 'lang="en">Was the person deceived about the kind of job' in html


def test_questions_in_the_interviewers_language_and_switching_language_keeps_answers(staff, case, staff_client):
    client = staff_client(staff["cw"])
    screening, location = _start(client, case, language="es")
    html = client.get(location).content.decode()
    assert "¿Se engañó a la persona sobre el tipo de trabajo" in html
    assert "shown in English" not in html
    client.post(location, {"item": "DR01", "n": "1", "answer": "yes", "action": "next"})
    response = client.post(reverse("screening:settings", args=[screening.public_id]), {"language": "en"})
    assert response["Location"] == location
    screening.refresh_from_db()
    assert screening.language == "en" and screening.answers == {"DR01": "yes"}


def test_switching_to_the_whole_list_mid_way(staff, case, staff_client):
    client = staff_client(staff["cw"])
    screening, location = _start(client, case)
    client.post(location, {"item": "DR01", "n": "1", "answer": "yes", "action": "next"})
    response = client.post(reverse("screening:settings", args=[screening.public_id]), {"mode": "all"})
    assert response["Location"] == reverse("screening:answers", args=[screening.public_id])
    html = client.get(response["Location"]).content.decode()
    assert re.search(r'id="a-DR01-yes"[^>]*checked', html)


def test_the_result_shows_evidence_unconfirmed_marks_and_next_steps(staff, case, staff_client, screen):
    screening = screen(
        staff["cw"],
        case=case,
        answers={**TRAFFICKING, "VR13": "yes"},
        immediate_danger=True,
        minor=True,
        foreign_national=True,
    )
    html = staff_client(staff["cw"]).get(reverse("screening:result", args=[screening.public_id])).content.decode()
    assert "Evidence per dimension" in html and "DR01 (S)" in html
    assert "Unconfirmed facts this result uses" in html and "VR13" in html
    assert '<span class="unconfirmed-mark">unconfirmed</span>' in html
    assert 'href="tel:911"' in html and "1-800-25-ABUSE" in html
    assert "T visa" in html and "Continued Presence" in html and "U visa" in html
    assert "possible eligibility only" in html
    assert "Suggested services and matching providers" in html
    assert "gives the same result" in html
    assert "Screening history" in html


def test_the_result_page_in_spanish(staff, case, staff_client, screen):
    screening = screen(staff["cw"], case=case)
    html = (
        staff_client(staff["cw"])
        .get(reverse("screening:result", args=[screening.public_id]) + "?lang=es")
        .content.decode()
    )
    assert "Reclutamiento engañoso" in html


def test_the_print_page_has_the_result_without_navigation(staff, case, staff_client, screen):
    screening = screen(staff["cw"], case=case)
    html = staff_client(staff["cw"]).get(reverse("screening:print", args=[screening.public_id])).content.decode()
    assert "Trafficking indicated" in html and "Next steps" in html
    assert "Sign out" not in html and 'class="site-header"' not in html
    assert "css/screening.css" in html and "js-print" in html
    assert "Screening history" not in html
    _no_inline_code(html)


def test_rescreen_starts_a_new_screening_and_keeps_the_old_one(staff, case, staff_client, screen):
    first = screen(staff["cw"], case=case)
    client = staff_client(staff["cw"])
    response = client.post(reverse("screening:rescreen", args=[first.public_id]), {"request_key": "r1"})
    again = Screening.objects.latest("id")
    # A new interview: the safety and consent step comes first again.
    assert again.pk != first.pk and response["Location"] == reverse("screening:safety", args=[again.public_id])
    html = client.get(reverse("screening:list") + f"?case={case.public_id}").content.decode()
    assert first.public_id in html and again.public_id in html and "trafficking" in html


def test_a_tip_link_without_slash_opens_the_start_page(staff, tip, staff_client):
    response = staff_client(staff["hotline"]).get(f"/staff/screening/new?tip={tip.public_id}")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'name="immediate_danger"[^>]*checked', html)  # the tip says danger now


def test_a_finished_screening_redirects_questions_to_the_result(staff, case, staff_client, screen):
    screening = screen(staff["cw"], case=case)
    client = staff_client(staff["cw"])
    response = client.get(reverse("screening:ask", args=[screening.public_id]))
    assert response["Location"] == reverse("screening:result", args=[screening.public_id])


def test_roles_without_screening_get_403_and_strangers_404(staff, case, staff_client, screen):
    screening = screen(staff["cw"], case=case)
    assert staff_client(staff["analyst"]).get(reverse("screening:new") + f"?case={case.public_id}").status_code == 403
    assert (
        staff_client(staff["other_cw"]).get(reverse("screening:result", args=[screening.public_id])).status_code == 404
    )
    assert staff_client(staff["other_cw"]).get(reverse("screening:new") + f"?case={case.public_id}").status_code == 404


def test_the_staff_navigation_has_screenings(staff, staff_client):
    html = staff_client(staff["cw"]).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("screening:list")}"' in html


def test_the_result_lists_matching_directory_providers(staff, case, staff_client, screen, ref):
    from beacon.directory.models import Provider, ProviderService

    near = Provider.objects.create(name="Cook County Immigration Clinic", accepting_new_clients=True)
    near.counties.add(ref["counties"]["17031"])
    near.languages.add(ref["languages"]["es"])
    ProviderService.objects.create(provider=near, category="legal_immigration")
    far = Provider.objects.create(name="Rockford Legal Aid", accepting_new_clients=False)
    ProviderService.objects.create(provider=far, category="legal_immigration")
    screening = screen(staff["cw"], case=case, foreign_national=True)
    html = staff_client(staff["cw"]).get(reverse("screening:result", args=[screening.public_id])).content.decode()
    assert "Legal assistance (immigration)" in html or "legal_immigration" in html
    assert html.index("Cook County Immigration Clinic") < html.index("Rockford Legal Aid")
    assert "serves the county" in html and "speaks the language" in html
    assert "service=legal_immigration&amp;county=17031&amp;language=es" in html


def test_someone_who_may_read_but_not_continue_sees_the_progress_only(staff, shared_case, staff_client):
    screening = services.start_screening(
        staff["cw"], case=shared_case, instrument_id="ilo-2009", population="adult-labour"
    )
    services.save_answers(staff["cw"], screening, {"DR01": "yes"})
    response = staff_client(staff["other_cw"]).get(reverse("screening:detail", args=[screening.public_id]))
    html = response.content.decode()
    assert response.status_code == 200 and "1 of 67 questions answered" in html
    assert "DR01" not in html
    assert staff_client(staff["other_cw"]).get(reverse("screening:ask", args=[screening.public_id])).status_code == 403


# --- the safety and consent step (before any question) ----------------------------------------


def _started(staff, case):
    return services.start_screening(staff["cw"], case=case, instrument_id="ilo-2009", population="adult-labour")


def test_no_question_before_the_safety_and_consent_step(staff, case, staff_client):
    screening = _started(staff, case)
    client = staff_client(staff["cw"])
    safety = reverse("screening:safety", args=[screening.public_id])
    for name in ("ask", "answers", "review", "detail"):
        assert client.get(reverse(f"screening:{name}", args=[screening.public_id]))["Location"] == safety
    html = client.get(safety).content.decode()
    for text in ("Is it safe to talk now?", "never the person who brought them", "DCFS", "stop at any time"):
        assert text in html
    _no_inline_code(html)


def test_not_safe_to_talk_stops_and_is_recorded(staff, case, staff_client):
    screening = _started(staff, case)
    client = staff_client(staff["cw"])
    response = client.post(reverse("screening:safety", args=[screening.public_id]), {"safe_to_talk": "no"})
    assert response.status_code == 200 and "Stop here: it is not safe to talk now" in response.content.decode()
    screening.refresh_from_db()
    assert screening.safe_to_talk is False and screening.safety_checked_at and not screening.safety_cleared
    assert client.get(reverse("screening:ask", args=[screening.public_id]))["Location"].endswith("/safety/")


def test_the_person_who_brought_them_cannot_interpret(staff, case, staff_client):
    screening = _started(staff, case)
    client = staff_client(staff["cw"])
    response = client.post(
        reverse("screening:safety", args=[screening.public_id]), {**SAFE, "interpreter": "companion"}
    )
    assert response.status_code == 200
    assert "Do not interpret through the person who brought them" in response.content.decode()
    screening.refresh_from_db()
    assert screening.safety_checked_at is None


def test_every_part_of_the_step_must_be_confirmed(staff, case, staff_client):
    screening = _started(staff, case)
    client = staff_client(staff["cw"])
    partial = {k: v for k, v in SAFE.items() if k != "confidentiality_explained"}
    html = client.post(reverse("screening:safety", args=[screening.public_id]), partial).content.decode()
    assert "Explain the limits of confidentiality before the questions." in html
    screening.refresh_from_db()
    assert not screening.safety_cleared


def test_the_safety_step_is_recorded_with_the_screening_and_shown_with_the_result(staff, case, staff_client):
    client = staff_client(staff["cw"])
    screening, _location = _start(client, case, mode="all")
    screening.refresh_from_db()
    assert screening.safety_cleared and screening.interpreter == "independent"
    services.save_answers(staff["cw"], screening, TRAFFICKING)
    services.complete_screening(staff["cw"], screening)
    html = client.get(reverse("screening:result", args=[screening.public_id])).content.decode()
    assert "Before the questions: safety and consent" in html and "An independent interpreter is present" in html


# --- starting from what is known: the tip's signs, the interview language -------------------------


def _case_from_tip(case, tip, checklist):
    tip.checklist = checklist
    tip.case = case
    tip.save(update_fields=["checklist", "case"])


def test_the_tips_signs_are_copied_to_the_screening_for_the_items_they_point_to(staff, case, tip):
    _case_from_tip(case, tip, {"DEBT": "yes", "RESTRICTED_MOVEMENT": "no", "NO_CONTROL_OF_DOCUMENTS": "unknown"})
    screening = services.start_screening(staff["cw"], case=case, instrument_id="ilo-2009", population="adult-labour")
    # DEBT maps to CR04 and CD02 (community-red-flags.yaml); only a "yes" counts.
    assert screening.tip_signs == {"CR04": ["DEBT"], "CD02": ["DEBT"]}
    assert screening.answers == {}  # suggestions, not answers, until the interviewer confirms them
    legal = services.start_screening(
        staff["cw"], case=case, instrument_id="us-legal-elements", population="adult-labour"
    )
    assert legal.tip_signs == {}  # no sign maps to the legal elements


def test_a_question_the_tip_points_to_is_marked_and_yes_is_chosen_for_the_interviewer(staff, case, tip, staff_client):
    _case_from_tip(case, tip, {"DEBT": "yes"})
    client = staff_client(staff["cw"])
    screening, _location = _start(client, case, mode="all")
    html = client.get(reverse("screening:answers", args=[screening.public_id])).content.decode()
    block = re.search(r'<fieldset class="list-question" id="q-CR04".*?</fieldset>', html, re.S).group(0)
    assert "From the tip: confirm with the person." in block and 'aria-describedby="tip-CR04"' in block
    assert re.search(r'id="a-CR04-yes" value="yes" checked', block)
    other = re.search(r'<fieldset class="list-question" id="q-CR01".*?</fieldset>', html, re.S).group(0)
    assert "From the tip" not in other and re.search(r'id="a-CR01-none" value="" checked', other)
    # Saving the page confirms it; the note goes once the item is answered.
    client.post(reverse("screening:answers", args=[screening.public_id]), {"a_CR04": "no", "action": "save"})
    screening.refresh_from_db()
    assert screening.answers == {"CR04": "no"}
    html = client.get(reverse("screening:answers", args=[screening.public_id])).content.decode()
    assert "From the tip" not in re.search(r'id="q-CR04".*?</fieldset>', html, re.S).group(0)


def test_a_spanish_interview_has_no_english_around_its_questions(staff, case, staff_client):
    client = staff_client(staff["cw"])
    screening, location = _start(client, case, language="es")
    html = client.get(location).content.decode()
    block = re.search(r"<fieldset.*?</fieldset>", html, re.S).group(0)
    assert 'lang="es"' in block
    assert "Pregunta 1 de" in block and "Sí" in block and "No sé" in block and "Prefirió no responder" in block
    for english in ("Question 1 of", ">Yes<", "Don't know", "Declined to answer"):
        assert english not in block, english
    html = client.get(reverse("screening:answers", args=[screening.public_id])).content.decode()
    block = re.search(r'<fieldset class="list-question".*?</fieldset>', html, re.S).group(0)
    assert "No se preguntó" in block and "Not asked" not in block

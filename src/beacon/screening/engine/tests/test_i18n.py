"""Texts a person reads are marked for translation and can be rendered in another language."""

from __future__ import annotations

import ast
from pathlib import Path

from beacon.screening.engine import ScreeningContext, evaluate, gettext_noop

from .support import ILO, LEGAL

ENGINE = Path(__file__).resolve().parents[1]


def test_gettext_noop_returns_its_argument():
    assert gettext_noop("Call 911.") == "Call 911."


def test_every_engine_message_goes_through_translate():
    seen: list[str] = []

    def translate(msgid: str) -> str:
        seen.append(msgid)
        return "[es] " + msgid

    context = ScreeningContext(immediate_danger=True, minor=True, foreign_national=True)
    data = evaluate(ILO, "adult-labour", {"EX01": "yes", "EX02": "yes"}, context).to_dict("es", translate)
    assert seen
    for step in data["next_steps"]:
        assert step["text"].startswith("[es] ")
    # Texts from the instrument come in the requested language, without gettext.
    assert data["determination_label"] == "Información insuficiente"
    assert data["reasons"][0].startswith("Las respuestas dadas")
    assert any(reason.startswith("[es] ") for reason in data["reasons"])


def test_legal_texts_in_spanish():
    data = evaluate(LEGAL, "child-sexual", {"ACT_RECRUIT": "yes", "PURPOSE_COMMERCIAL_SEX": "yes"}).to_dict("es")
    assert data["determination_label"] == "Coherente con trata con fines sexuales"
    assert data["statutes"][0]["title"] == "Trata con fines sexuales de menores o mediante fuerza, fraude o coacción"


def test_message_calls_use_marked_literals():
    """Every message(...) in the engine starts with _("...") so that makemessages finds it."""
    for path in ENGINE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "message":
                first = node.args[0]
                assert isinstance(first, ast.Call) and getattr(first.func, "id", None) == "_", (
                    f"{path.name}:{node.lineno}"
                )
                assert isinstance(first.args[0], ast.Constant), f"{path.name}:{node.lineno}"

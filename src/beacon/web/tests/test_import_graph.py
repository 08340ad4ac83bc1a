"""Imports point down: the platform apps never import a feature app, and no module pretends one of the
project's own apps might be missing (every app is always installed)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BEACON = Path(__file__).resolve().parents[2]
PLATFORM = ("reference", "web", "access", "audit", "crypto", "accounts", "api")
FEATURES = (
    "screening",
    "directory",
    "cases",
    "tips",
    "messaging",
    "outreach",
    "portal",
    "intel",
    "insights",
    "matters",
    "lifecycle",
    "demo",
)


def _modules(app: str):
    for path in sorted((BEACON / app).rglob("*.py")):
        if "tests" in path.relative_to(BEACON).parts:
            continue  # tests may drive any app
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "beacon" else None


@pytest.mark.parametrize("app", PLATFORM)
def test_platform_app_imports_no_feature_app(app):
    offending = [
        f"{path.relative_to(BEACON)} imports {name}"
        for path, tree in _modules(app)
        for name in sorted(_imported(tree))
        if _app_of(name) in FEATURES
    ]
    assert offending == []


def test_the_app_lists_cover_every_app():
    apps = {p.parent.name for p in BEACON.glob("*/apps.py")}
    assert apps == set(PLATFORM) | set(FEATURES)


def test_no_import_of_the_project_is_guarded_by_except_import_error():
    guarded = []
    for path in sorted(BEACON.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            catches = {getattr(h.type, "id", None) for h in node.handlers if h.type is not None} | {
                getattr(e, "id", None) for h in node.handlers if isinstance(h.type, ast.Tuple) for e in h.type.elts
            }
            if catches & {"ImportError", "ModuleNotFoundError"} and any(
                _app_of(name) for stmt in node.body for name in _imported(stmt)
            ):
                guarded.append(f"{path.relative_to(BEACON)}:{node.lineno}")
    assert guarded == []

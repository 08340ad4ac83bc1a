"""The translators' workflow: review states in the catalogs, `beacon i18n status`, export and import."""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beacon.portal import catalogs

SEND = "Send report"
PLACEHOLDER = "People counted: about %(total)s."


@pytest.fixture
def locale(tmp_path, monkeypatch):
    """A copy of the catalogs to change, so the real ones stay as they are."""
    copy = tmp_path / "locale"
    shutil.copytree(catalogs.LOCALE, copy)
    monkeypatch.setattr(catalogs, "LOCALE", copy)
    return copy


def _exported(lang: str, tmp_path, change: dict[str, str] | None = None, fuzzy: set[str] = frozenset()):
    po = catalogs.export(lang)
    for entry in po:
        if change and entry.msgid in change:
            entry.msgstr = change[entry.msgid]
        if entry.msgid in fuzzy:
            entry.flags.append("fuzzy")
    path = tmp_path / f"{lang}.po"
    po.save(str(path))
    return path


def test_the_export_is_a_standard_po_file_with_states_and_glossary_notes(tmp_path):
    path = _exported("ru", tmp_path)
    subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(path)], check=True)
    po = polib.pofile(str(path))
    assert len(po) == len([e for e in catalogs.load("ru") if e.msgid])
    send = po.find(SEND)
    assert send.msgstr == catalogs.load("ru").find(SEND).msgstr
    assert "state: draft" in send.comment
    assert "glossary: report = обращение (never: сообщени)" in send.comment


def test_import_changes_only_the_changed_entries_and_asks_for_a_native_review(locale, tmp_path):
    before = catalogs.path("pl").read_text(encoding="utf-8")
    sent = catalogs.load("pl").find(SEND).msgstr
    path = _exported("pl", tmp_path, {SEND: "Wyślij to zgłoszenie"})
    result = catalogs.import_file("pl", path)
    assert (result.changed, result.marked) == (1, 0)
    after = catalogs.path("pl").read_text(encoding="utf-8")
    entry = catalogs.load("pl").find(SEND)
    assert entry.msgstr == "Wyślij to zgłoszenie"
    assert catalogs.state(entry) == catalogs.State.DRAFT and catalogs.REQUEST in entry.comment.splitlines()
    # Every other entry kept its bytes: the diff is the one entry's translation and review request.
    diff = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:2] in ("+ ", "- ")]
    added = sorted(d for d in diff if d.startswith("+ "))
    assert added == ["+ #. review: native speaker", '+ msgstr "Wyślij to zgłoszenie"']
    assert [d for d in diff if d.startswith("- ")] == [f'- msgstr "{sent}"']
    with (catalogs.path("pl").with_suffix(".mo")).open("rb") as handle:
        assert polib.mofile(handle.name).find(SEND).msgstr == "Wyślij to zgłoszenie"


def test_a_reviewers_file_marks_its_entries_and_status_counts_them(locale, tmp_path):
    start = catalogs.status("uk")
    path = _exported("uk", tmp_path, fuzzy={SEND})
    result = catalogs.import_file("uk", path, reviewed=catalogs.State.LEGAL)
    total = sum(start.counts.values())
    assert result.changed == 0 and result.skipped_fuzzy == 1 and result.marked == total - 1
    now = catalogs.status("uk")
    assert now.counts[catalogs.State.LEGAL] == total - 1 and now.counts[catalogs.State.DRAFT] == 1
    assert now.unreviewed_legal == []  # the fuzzy entry is not a legal string
    entry = catalogs.load("uk").find("Your report")
    assert catalogs.state(entry) == catalogs.State.LEGAL
    assert catalogs.REQUEST not in entry.comment.splitlines()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({PLACEHOLDER: "Учтено людей: около."}, "placeholders differ"),
        ({"Call 911": "Позвоните в полицию"}, "numbers missing: 911"),
        ({SEND: "Отправить сообщение"}, "forbidden 'сообщени'"),
    ],
)
def test_import_refuses_a_file_that_breaks_a_rule_and_writes_nothing(locale, tmp_path, change, reason):
    before = catalogs.path("ru").read_bytes()
    path = _exported("ru", tmp_path, {SEND: "Отправить это обращение", **change})
    with pytest.raises(catalogs.ImportRefused) as refused:
        catalogs.import_file("ru", path)
    assert any(reason in p for p in refused.value.problems), refused.value.problems
    assert catalogs.path("ru").read_bytes() == before


def test_import_refuses_entries_the_catalog_does_not_have(locale, tmp_path):
    po = polib.POFile()
    po.append(polib.POEntry(msgid="An English sentence that changed", msgstr="Zdanie"))
    path = tmp_path / "old.po"
    po.save(str(path))
    with pytest.raises(catalogs.ImportRefused, match="not in the pl catalog"):
        catalogs.import_file("pl", path)


def test_the_command_prints_states_per_language_and_the_unchecked_legal_strings():
    out = io.StringIO()
    call_command("i18n", "status", stdout=out)
    text = out.getvalue()
    assert text.splitlines()[0].split() == ["lang", "draft", "(asked)", "native", "legal", "legal", "unchecked"]
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()[1:13]}
    assert set(rows) == set(catalogs.languages()[1:])
    for lang, row in rows.items():
        st = catalogs.status(lang)
        assert [int(n) for n in row] == [
            st.counts[catalogs.State.DRAFT],
            st.requested,
            st.counts[catalogs.State.NATIVE],
            st.counts[catalogs.State.LEGAL],
            len(st.unreviewed_legal),
        ]
    assert "Legal strings whose wording is not yet checked" in text
    assert "I agree that my contact details may be given to the police if needed" in text


def test_the_command_refuses_an_unknown_language_and_a_bad_file(tmp_path):
    with pytest.raises(CommandError, match="unknown language"):
        call_command("i18n", "export", "xx", stdout=io.StringIO())
    bad = tmp_path / "bad.po"
    bad.write_text('msgid "x"\nmsgstr unquoted\n', encoding="utf-8")
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("i18n", "import", "pl", str(bad), stdout=io.StringIO())


def test_rewriting_a_catalog_without_changes_keeps_every_byte(locale):
    for lang in catalogs.languages():
        before = catalogs.path(lang).read_bytes()
        catalogs.rewrite(lang)
        assert catalogs.path(lang).read_bytes() == before

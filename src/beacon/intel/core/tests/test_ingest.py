import json
from pathlib import Path

from beacon.intel.core import Post, RowError, read_posts


def _split(items: list) -> tuple[list[Post], list[RowError]]:
    return [i for i in items if isinstance(i, Post)], [i for i in items if isinstance(i, RowError)]


def test_jsonl_bad_rows_are_reported_with_line_numbers(tmp_path: Path) -> None:
    good = {
        "id": "1",
        "source": "board",
        "title": "Hiring",
        "body": "Call 312-555-0198",
        "phone": "773 555 0142",
        "truth": "ignored",
    }
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"source": "board", "body": "no id"}),
        "",
        json.dumps([1, 2]),
        json.dumps({**good, "id": "2", "posted_at": "yesterday"}),
        json.dumps({**good, "id": "3", "title": "", "body": ""}),
        json.dumps(good),  # duplicate of line 1
        json.dumps({**good, "id": 4, "posted_at": "2024-03-01T10:00:00Z", "body": {"nested": 1}}),
        json.dumps({**good, "id": 5, "posted_at": "2024-03-01"}),
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n")
    posts, errors = _split(list(read_posts(path)))
    assert [(p.id, p.line) for p in posts] == [("1", 1), ("5", 10)]
    assert posts[0].contacts == {"phone": "773 555 0142"}
    assert posts[0].key == ("board", "1")
    assert [e.line for e in errors] == [2, 3, 5, 6, 7, 8, 9]
    messages = " | ".join(e.message for e in errors)
    for fragment in (
        "invalid JSON",
        "missing post id",
        "one JSON object",
        "ISO 8601",
        "neither title nor body",
        "duplicate post board/1",
        "must be text",
    ):
        assert fragment in messages


def test_csv_with_multiline_fields_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(
        "id,source,title,body,Email,location\n"
        '1,board,Cook,"Line one\nline two",a@b.com,"Joliet, IL"\n'
        "2,board,Too,many,fields,here,extra\n"
        ",board,No id,body,,\n"
        "3,board,Short\n"
        '4,board,Ok,"Body",,Peoria\n'
    )
    posts, errors = _split(list(read_posts(path)))
    assert [(p.id, p.line, p.location) for p in posts] == [("1", 2, "Joliet, IL"), ("4", 7, "Peoria")]
    assert posts[0].body == "Line one\nline two" and posts[0].contacts == {"email": "a@b.com"}
    assert [e.line for e in errors] == [4, 5, 6]


def test_read_posts_streams(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    with path.open("w") as fh:
        for i in range(1000):
            fh.write(json.dumps({"id": str(i), "source": "s", "body": "x"}) + "\n")
    stream = read_posts(path)
    first = next(stream)
    assert isinstance(first, Post) and first.id == "0"
    assert sum(1 for _ in stream) == 999


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    import pytest

    with pytest.raises(ValueError, match="csv or jsonl"):
        list(read_posts(tmp_path / "posts.xml"))

import json
from pathlib import Path

import pytest

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


def test_a_csv_export_with_common_column_names_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Post ID,Site,Text,Date,Cell\n"
        "a1,board,Hiring now call 312 555 0147,2024-03-01 10:00,773 555 0142\n"
        "a2,board,Warehouse work,03/02/2024 9:30 PM,\n",
        encoding="utf-8",
    )
    posts, errors = _split(list(read_posts(path)))
    assert errors == []
    assert [(p.id, p.source, p.body) for p in posts] == [
        ("a1", "board", "Hiring now call 312 555 0147"),
        ("a2", "board", "Warehouse work"),
    ]
    assert posts[0].posted_at == "2024-03-01 10:00"  # no zone stated: kept as written
    assert posts[1].posted_at == "2024-03-02T21:30:00"  # month/day/year read


def test_a_column_mapping_names_the_columns_and_the_source_time_zone(tmp_path: Path) -> None:
    from beacon.intel.core import ColumnMapping

    path = tmp_path / "export.csv"
    path.write_text(
        "ref,msg,when,number,mail,other\n"
        "7,Call me,2024-07-01T10:00:00,312 555 0147,x@example.com,ignored\n"
        "8,Winter post,1709287200,,,\n",
        encoding="utf-8",
    )
    mapping = ColumnMapping(
        columns={"id": "ref", "body": "msg", "posted_at": "when"},
        contacts=("number", "mail"),
        tz="America/Chicago",
    )
    posts, errors = _split(list(read_posts(path, default_source="site", mapping=mapping)))
    assert errors == []
    assert posts[0].posted_at == "2024-07-01T10:00:00-05:00"  # Chicago in summer
    assert posts[1].posted_at == "2024-03-01T10:00:00+00:00"  # Unix seconds are UTC
    assert posts[0].contacts == {"phone": "312 555 0147", "mail": "x@example.com"}  # "number" sniffed


def test_a_file_without_an_id_column_says_which_names_were_tried(tmp_path: Path) -> None:
    from beacon.intel.core import ColumnMapping, MappingError, preview

    path = tmp_path / "export.csv"
    path.write_text("ref,body\n1,Hello\n", encoding="utf-8")
    (error,) = list(read_posts(path))
    assert isinstance(error, RowError) and "post_id" in error.message and "ref, body" in error.message
    assert preview(path).problem == error.message
    shown = preview(path, mapping=ColumnMapping(columns={"id": "ref"}, tz="UTC"), default_source="s")
    assert shown.problem == "" and [p.id for p in shown.posts] == ["1"]
    assert shown.fields == {"id": "ref", "body": "body"}
    assert "no column 'nope'" in preview(path, mapping=ColumnMapping(columns={"id": "nope"})).problem
    with pytest.raises(MappingError, match="time zone"):
        ColumnMapping(tz="Chicago/Mars")


def test_preview_stops_after_the_first_rows_and_shows_their_problems(tmp_path: Path) -> None:
    from beacon.intel.core import preview

    path = tmp_path / "posts.jsonl"
    rows = [json.dumps({"post_id": str(i), "text": f"post {i}"}) for i in range(30)]
    rows[2] = json.dumps({"post_id": "2", "text": ""})
    path.write_text("\n".join(rows) + "\n")
    shown = preview(path, default_source="s", limit=5)
    assert shown.fields == {"id": "post_id", "body": "text"}
    assert [r.line for r in shown.rows] == [1, 2, 3, 4, 5]
    assert [e.line for e in shown.errors] == [3] and "neither title nor body" in shown.errors[0].message

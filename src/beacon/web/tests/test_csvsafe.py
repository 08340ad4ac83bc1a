from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from beacon.web.csvsafe import SafeDictWriter, SafeWriter, iter_csv, neutralise


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Chicago", "Chicago"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_triggers_get_a_leading_quote(cell, written):
    assert neutralise(cell) == written


def test_numbers_stay_numbers():
    assert neutralise(-5) == -5
    assert neutralise(-1.5) == -1.5
    assert neutralise(Decimal("-3.20")) == Decimal("-3.20")
    assert neutralise(None) == "" and neutralise(True) == "true"


def test_writer_neutralises_every_cell_and_round_trips():
    out = io.StringIO()
    SafeWriter(out).writerows([["name", "note"], ["=cmd|' /C calc'!A0", "fine, with comma"], [-4, "@x"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["name", "note"], ["'=cmd|' /C calc'!A0", "fine, with comma"], ["-4", "'@x"]]


def test_dict_writer():
    out = io.StringIO()
    writer = SafeDictWriter(out, ["a", "b"])
    writer.writeheader()
    writer.writerow({"a": "+x", "b": None})
    assert out.getvalue().splitlines() == ["a,b", "'+x,"]
    with pytest.raises(ValueError):
        writer.writerow({"c": 1})


def test_streaming_yields_one_encoded_line_per_row():
    rows = (["=1+1", "José"] for _ in range(3))  # a generator: nothing is held in memory
    chunks = list(iter_csv(rows, header=["formula", "name"], bom=True))
    assert chunks[0] == "\ufeff".encode()
    assert chunks[1] == b"formula,name\r\n"
    assert chunks[2] == "'=1+1,José\r\n".encode()
    assert len(chunks) == 5

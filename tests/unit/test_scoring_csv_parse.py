"""The CSV readers: the byte reader, str.split and the csv module read every file the same way."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import ScoringInputError, csv_parse
from scoring.csv_parse import Parsed, parse

CELLS = ["", "1", "2", "5", " ", "na", "Agree", "  De acuerdo ", "No sé", "x;y", "Líder", "12"]


def cell_matrix(parsed: Parsed, columns: list[int]) -> list[list[str]]:
    codes, texts = parsed.encode(columns)
    assert codes.flags.f_contiguous
    lookup = np.array(texts, dtype=object)
    return lookup[codes].tolist()


def readers(text: str) -> dict[str, Parsed]:
    data = text.encode("utf-8")
    plain = text.replace("\r\n", "\n")
    out: dict[str, Parsed] = {
        "strings": csv_parse._parse_plain(text, plain),
        "csv module": csv_parse._parse_quoted(text),
    }
    byte_reader = csv_parse._ByteRecords.parse(text, plain, data)
    if byte_reader is not None:
        out["bytes"] = byte_reader
    return out


rows_strategy = st.integers(1, 6).flatmap(
    lambda width: st.lists(
        st.lists(st.sampled_from(CELLS), min_size=width, max_size=width), min_size=1, max_size=30
    )
)


@settings(max_examples=150, deadline=None)
@given(rows_strategy, st.sampled_from(["\n", "\r\n"]), st.booleans(), st.data())
def test_the_readers_agree(
    rows: list[list[str]], newline: str, final_newline: bool, data: st.DataObject
) -> None:
    width = len(rows[0])
    header = [f"c{j}" for j in range(width)]
    text = newline.join(",".join(r) for r in [header, *rows]) + (newline if final_newline else "")
    if width == 1 and any(r == [""] for r in rows):
        return  # a row of one empty cell is a blank line: skipped by every reader, tested below
    columns = sorted(data.draw(st.sets(st.integers(0, width - 1), min_size=1)))
    parsed = readers(text)
    assert "bytes" in parsed
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_parse, "LONG_SHARE", 1.0)  # the byte reader codes every cell itself
        byte_cells = cell_matrix(parsed["bytes"], columns)
    assert byte_cells == [[r[j] for j in columns] for r in rows]
    for name, reader in parsed.items():
        assert reader.header == header, name
        assert reader.rows == len(rows), name
        assert cell_matrix(reader, columns) == [[r[j] for j in columns] for r in rows], name
        assert [reader.line(i) for i in range(len(rows))] == list(range(2, len(rows) + 2))
        assert reader.cell(len(rows) - 1, width - 1) == rows[-1][-1]


def test_the_byte_reader_leaves_blank_lines_to_the_others() -> None:
    text = "a,b\n1,2\n\n3,4\n"
    assert csv_parse._ByteRecords.parse(text, text, text.encode()) is None
    parsed = parse(text, text.encode())
    assert cell_matrix(parsed, [0, 1]) == [["1", "2"], ["3", "4"]]
    assert [parsed.line(0), parsed.line(1)] == [2, 4]


def test_a_file_of_many_longer_cells_is_coded_by_the_string_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "a,b\nAgree,Disagree\n1,2\n"
    for share in (0.0, 1.0):
        monkeypatch.setattr(csv_parse, "LONG_SHARE", share)
        assert cell_matrix(parse(text, text.encode()), [0, 1]) == [
            ["Agree", "Disagree"],
            ["1", "2"],
        ]


@pytest.mark.parametrize("use_bytes", [True, False])
def test_row_width_errors_name_the_line(use_bytes: bool) -> None:
    text = "a,b\n1,2\n1,2,3\n"
    with pytest.raises(ScoringInputError, match="line 3 has 3 cells but the header has 2 columns"):
        parse(text, text.encode() if use_bytes else None)


@pytest.mark.parametrize("use_bytes", [True, False])
@pytest.mark.parametrize("text", ["q1,q2\n1\n", "q1,q2\r\n1\r\n", "q1,q2,q3\n1,2\n"])
def test_a_lone_short_row_is_named_not_taken_for_no_rows(use_bytes: bool, text: str) -> None:
    with pytest.raises(ScoringInputError, match="line 2 has .* cells but the header has"):
        parse(text, text.encode() if use_bytes else None)


def test_quoted_files_go_through_the_csv_module() -> None:
    text = 'a,b\n"1,5",2\n"x\ny",3\n'
    parsed = parse(text, text.encode())
    assert cell_matrix(parsed, [0, 1]) == [["1,5", "2"], ["x\ny", "3"]]
    assert parsed.line(1) == 3
    assert [r for r in csv.reader(io.StringIO(text))][1:] == cell_matrix(parsed, [0, 1])


def test_the_string_reader_takes_columns_in_order() -> None:
    with pytest.raises(ValueError, match="increasing order"):
        parse("a,b\n1,2\n").encode([1, 0])


def test_readers_code_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_parse, "_ROWS_PER_CHUNK", 2)
    rows = [[str(i % 3), f"v{i}", "x"] for i in range(7)]
    plain = "a,b,c\n" + "".join(",".join(r) + "\n" for r in rows)
    quoted = "a,b,c\n" + "".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows)
    for text in (plain, quoted):
        parsed = parse(text)
        assert parsed.rows == 7
        assert cell_matrix(parsed, [0, 2]) == [[r[0], r[2]] for r in rows]
        assert parsed.cell(6, 1) == "v6"
    with pytest.raises(ScoringInputError, match="line 7 has 2 cells"):
        parse(quoted.replace('"v5","x"', '"v5"'))

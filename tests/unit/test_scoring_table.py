"""Building response tables: from stored answers, and from CSV files written by people and tools."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import instrument
from scoring import ResponseTable, ScoringInputError, csv_parse, score
from tests.unit.test_scoring_support import one_area_doc, standard, standard_doc, table


@pytest.fixture(autouse=True, params=["byte reader", "string reader"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run every test with each CSV reader: plain files must read the same either way."""
    if request.param == "byte reader":
        monkeypatch.setattr(csv_parse, "LONG_SHARE", 1.0)
    else:
        monkeypatch.setattr(csv_parse._ByteRecords, "parse", classmethod(lambda *_: None))
    return str(request.param)


def read(text: str, inst: instrument.Instrument | None = None) -> tuple[ResponseTable, list[str]]:
    return ResponseTable.from_csv(inst or standard(), io.StringIO(text))


def col(t: ResponseTable, item_id: str) -> list[float | None]:
    return [None if math.isnan(v) else v for v in t.likert_column(item_id).tolist()]


# -- from_answers -----------------------------------------------------------------------------


def test_from_answers_columns() -> None:
    inst = standard()
    rows = [
        {
            "q1": 4,
            "q2": "na",
            "role": "leader",
            "langs": ["es", "en"],
            "years": 12,
            "comments": "hi",
        },
        {"q1": 1, "site": "south", "langs": [], "years": 2.5, "comments": ""},
        {},
    ]
    t = table(inst, rows, wave=["baseline", "12-month", "baseline"])
    assert len(t) == 3
    assert t.likert_ids == ("q1", "q2", "q3", "q4", "q5", "q6", "q7")
    assert col(t, "q1") == [4.0, 1.0, None]
    assert col(t, "q2") == [None, None, None]
    assert t.not_applicable_column("q2").tolist() == [True, False, False]
    assert t.choice_codes("role").tolist() == [2, -1, -1]
    assert t.choice_codes("site").tolist() == [-1, 1, -1]
    assert t.selections["langs"].tolist() == [[True, True, False], [False] * 3, [False] * 3]
    assert t.numbers[:, 0][:2].tolist() == [12.0, 2.5]
    assert t.waves == ("baseline", "12-month")
    assert t.wave_codes.tolist() == [0, 1, 0]
    assert t.row_waves() == ["baseline", "12-month", "baseline"]
    assert len(t.wave("baseline")) == 2
    assert t.wave("12-month").row_waves() == ["12-month"]


def test_the_table_is_read_only() -> None:
    t = table(standard(), [{"q1": 3}])
    with pytest.raises(ValueError, match="read-only"):
        t.likert[0, 0] = 1.0


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ({"q1": 7}, "7 is not a point of scale 'agree'"),
        ({"q1": True}, "True is not a point"),
        ({"q1": "4"}, "'4' is not a point"),
        ({"q6": "na"}, "'na' is not a point of scale 'five'"),
        ({"role": "boss"}, "'boss' is not one of the options"),
        ({"langs": ["en", "fr"]}, "not a list of the options"),
        ({"years": 99}, "above the maximum"),
        ({"years": float("nan")}, "not a finite number"),
        ({"nope": 1}, "'nope' is not an item of instrument std@1"),
    ],
)
def test_from_answers_refuses_what_the_web_app_would_not_store(
    answer: dict[str, Any], problem: str
) -> None:
    inst = standard()
    with pytest.raises(ScoringInputError, match=problem) as caught:
        table(inst, [{"q2": 3}, answer])
    assert caught.value.row == 1
    assert caught.value.column == next(iter(answer))
    value = next(iter(answer.values()))
    assert caught.value.value is value or caught.value.value == value


# Stored answers that compare equal across types (1, 1.0, True), valid and not, for each kind of
# item; q1 and years are in every row so that such pairs meet often.
_ALWAYS: dict[str, list[Any]] = {
    "q1": [1, True, 1.0, 4, "na", None],
    "years": [1, True, 1.0, 2.5, 99, float("nan"), None],
}
_SOMETIMES: dict[str, list[Any]] = {
    "q6": [5, 5.0, False, "na", None],
    "role": ["staff", "leader", "boss", None, "", 1],
    "langs": [["en"], ["es", "en"], [], ["fr"], "en", None],
    "comments": ["hi", "", None],
}
_ROWS = st.lists(
    st.fixed_dictionaries(
        {item: st.sampled_from(values) for item, values in _ALWAYS.items()},
        optional={item: st.sampled_from(values) for item, values in _SOMETIMES.items()},
    ),
    max_size=10,
)


@given(rows=_ROWS)
def test_from_answers_reads_each_row_as_if_it_were_alone(rows: list[dict[str, Any]]) -> None:
    """Answers are checked and converted once per distinct value; the table must not show it.

    A table of many rows equals the rows' one-row tables stacked, and refuses exactly when one
    of them does, naming a row that is refused alone (1 and True, 1 and 1.0 are told apart).
    """
    inst = standard()
    refused = set()
    alone = []
    for index, row in enumerate(rows):
        try:
            alone.append(table(inst, [row]))
        except ScoringInputError:
            refused.add(index)
    if refused:
        with pytest.raises(ScoringInputError) as caught:
            table(inst, rows)
        assert caught.value.row in refused
        return
    whole = table(inst, rows)
    for name in ("likert", "not_applicable", "choices", "numbers"):
        stacked = [getattr(t, name) for t in alone]
        expected = np.concatenate(stacked) if stacked else getattr(whole, name)[:0]
        np.testing.assert_array_equal(getattr(whole, name), expected)
    for item, matrix in whole.selections.items():
        stacked = [t.selections[item] for t in alone]
        np.testing.assert_array_equal(matrix, np.concatenate(stacked) if stacked else matrix[:0])


def test_a_bad_answer_is_named_at_its_first_row_even_after_good_ones_of_another_type() -> None:
    inst = standard()
    with pytest.raises(ScoringInputError, match="True is not a point") as caught:
        table(inst, [{"q1": 1}, {"q1": 1}, {"q1": True}, {"q1": True}])
    assert caught.value.row == 2


def test_from_answers_wave_labels_must_match_the_rows() -> None:
    with pytest.raises(ScoringInputError, match="2 wave labels for 1 responses"):
        table(standard(), [{}], wave=["a", "b"])


# -- from_csv: what a cell may hold -----------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value", "not_applicable"),
    [
        ("3", 3.0, False),
        (" 3 ", 3.0, False),
        ("3.0", 3.0, False),
        ("Agree", 3.0, False),
        ("agree", 3.0, False),
        ("  STRONGLY   agree ", 4.0, False),
        ("De acuerdo", 3.0, False),
        ("muy EN desacuerdo", 1.0, False),
        ("Don't know", None, True),
        ("no sé", None, True),
        ("NO SÉ", None, True),
        ("na", None, True),
        ("", None, False),
        ("   ", None, False),
    ],
)
def test_likert_cells(cell: str, value: float | None, not_applicable: bool) -> None:
    t, warnings = read(f"q1,q3\n{cell},1\n")
    assert col(t, "q1") == [value]
    assert t.not_applicable_column("q1").tolist() == [not_applicable]
    assert warnings == [
        "no column for item(s) role, q2, q4, q5, q6, q7: every answer to them counts as missing"
    ]


@pytest.mark.parametrize(
    ("header", "cell", "problem"),
    [
        ("q1", "5", "'5' is not a point of scale 'agree'"),
        ("q1", "0", "'0' is not a point"),
        ("q1", "2.5", "'2.5' is not a point"),
        ("q1", "maybe", "'maybe' is not a point of scale 'agree' .*'Strongly disagree'"),
        ("q6", "na", "'na' is not a point of scale 'five'"),
        ("q6", "Don't know", "is not a point of scale 'five'"),
        ("role", "boss", "'boss' is not an option of 'role'"),
        ("site", "east", "'east' is not an option of 'site'"),
        ("langs", "en;fr", "'fr' is not an option of 'langs' .*; the cell reads 'en;fr'"),
        ("years", "ten", "'ten' is not a number"),
        ("years", "61", "above the maximum"),
        ("years", "inf", "'inf' is not a number"),
    ],
)
def test_a_cell_that_fits_nothing_names_line_column_and_value(
    header: str, cell: str, problem: str
) -> None:
    text = f"wave,{header}\nbaseline,\nbaseline,\n12-month,{cell}\n"
    with pytest.raises(ScoringInputError, match=problem) as caught:
        read(text)
    error = caught.value
    assert (error.row, error.column, error.value) == (4, header, cell)
    assert str(error).startswith(f"line 4 (the header is line 1), column '{header}': ")


def test_the_earliest_bad_cell_of_the_first_bad_column_is_reported() -> None:
    # "wrong" is seen first (in q3, line 2) but in q1 "false" comes first (line 3).
    with pytest.raises(ScoringInputError) as caught:
        read("q1,q3\n1,wrong\nfalse,1\nwrong,1\n")
    assert (caught.value.row, caught.value.column, caught.value.value) == (3, "q1", "false")


def test_choice_cells_by_value_or_label_in_any_language() -> None:
    t, _ = read(
        "role,site,langs,q1\nleader,north,en;es,1\n Líder ,South,Spanish; OTHER ,1\nPERSONAL,,,1\n,,en,1\n"
    )
    assert t.choice_codes("role").tolist() == [2, 2, 0, -1]
    assert t.choice_codes("site").tolist() == [0, 1, -1, -1]
    assert t.selections["langs"].tolist() == [
        [True, True, False],
        [False, True, True],
        [False, False, False],
        [True, False, False],
    ]


def test_numbers_and_text_columns() -> None:
    t, warnings = read('years,comments,q1\n 12 ,anything at all,1\n,"quoted, with comma",2\n')
    assert t.numbers[:, 0].tolist()[0] == 12.0
    assert math.isnan(t.numbers[1, 0])
    assert "comments" not in " ".join(warnings)


def test_ambiguous_labels_are_refused() -> None:
    doc = standard_doc()
    # "Agree" is now also the Spanish label of point 4: a cell "agree" could mean 3 or 4.
    doc["scales"]["agree"]["points"][3]["label"]["es"] = "Agree"
    inst = instrument.load(doc)
    with pytest.raises(ScoringInputError, match="'agree' is ambiguous .*point 3, point 4"):
        read("q1\nagree\n", inst)
    t, _ = read("q1\n3\nStrongly agree\n", inst)
    assert col(t, "q1") == [3.0, 4.0]


def test_a_numeric_label_that_contradicts_a_value_is_refused() -> None:
    doc = one_area_doc(1)
    doc["scales"]["s"]["points"][0]["label"] = "2"  # point 1 labelled "2"
    inst = instrument.load(doc)
    with pytest.raises(
        ScoringInputError, match="'2' is ambiguous: point value 2 and the label of point 1"
    ):
        read("i1\n2\n", inst)


# -- from_csv: the file -----------------------------------------------------------------------


def test_waves_in_order_of_first_appearance() -> None:
    t, _ = read("wave,q1\n12-month,1\n baseline ,2\n12-month,3\nbaseline,4\n")
    assert t.waves == ("12-month", "baseline")
    assert t.wave_codes.tolist() == [0, 1, 0, 1]


def test_without_a_wave_column_there_is_one_wave() -> None:
    t, _ = read("q1\n1\n2\n")
    assert t.waves == ("",)


def test_an_empty_wave_label_is_an_error() -> None:
    with pytest.raises(ScoringInputError, match="line 3 .*column 'wave': the wave label is empty"):
        read("wave,q1\nbaseline,1\n ,2\n")


def test_unknown_and_unnamed_columns_are_warned_about_and_ignored() -> None:
    t, warnings = read("q1,extra,,Q2\n1,x,y,z\n")
    assert "column 'extra' is not an item of instrument std@1; ignored" in warnings
    assert "column 3 has no name in the header; ignored" in warnings
    assert "column 'Q2' is not an item of instrument std@1; ignored" in warnings
    assert col(t, "q1") == [1.0]


def test_duplicate_columns_are_an_error() -> None:
    with pytest.raises(ScoringInputError, match="names column 'q1' twice"):
        read("q1,q3, q1\n1,2,3\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the CSV file is empty"),
        ("\n\n", "the CSV file is empty"),
        ("q1,q2\n", "has a header but no responses"),
        ("q1,q2\n\n\n", "has a header but no responses"),
        ("q1,q2\n,\n , \n", "no responses: every row after the header is empty"),
    ],
)
def test_empty_files(text: str, message: str) -> None:
    with pytest.raises(ScoringInputError, match=message):
        read(text)


def test_rows_of_empty_cells_are_skipped_with_a_warning() -> None:
    t, warnings = read("q1,q3,extra\n1,2,\n,,\n3,4,\n,,note\n")
    assert col(t, "q1") == [1.0, 3.0, None]
    assert "skipped 1 row(s) with no answers (lines 3)" in warnings


def test_blank_lines_are_skipped_and_lines_still_counted() -> None:
    with pytest.raises(ScoringInputError) as caught:
        read("q1\n1\n\n\n2\n\nbad\n")
    assert caught.value.row == 7
    t, _ = read("\n\nq1\n1\n\n2\n")
    assert col(t, "q1") == [1.0, 2.0]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(newline: str) -> None:
    t, _ = read(newline.join(["wave,q1", "a,1", "b,Agree", ""]))
    assert col(t, "q1") == [1.0, 3.0]
    with pytest.raises(ScoringInputError) as caught:
        read(newline.join(["wave,q1", "a,1", "b,nope", ""]))
    assert caught.value.row == 3


def test_quoted_cells_spanning_lines_keep_line_numbers_right() -> None:
    text = 'q1,comments\n1,"two\nlines"\n2,"x"\n9,"y"\n'
    with pytest.raises(ScoringInputError) as caught:
        read(text)
    assert caught.value.row == 5
    assert "line 5" in str(caught.value)


def test_a_row_with_the_wrong_number_of_cells() -> None:
    with pytest.raises(ScoringInputError, match="line 3 has 3 cells but the header has 2 columns"):
        read("q1,q3\n1,2\n1,2,3\n")
    with pytest.raises(ScoringInputError, match="line 2 has 1 cells but the header has 2"):
        read('q1,q3\n"1"\n')


def test_a_byte_order_mark_and_a_path(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("\ufeffq1,role\n2,staff\n".encode())
    t, warnings = ResponseTable.from_csv(standard(), path)
    assert col(t, "q1") == [2.0]
    assert t.choice_codes("role").tolist() == [0]
    t, _ = ResponseTable.from_csv(standard(), str(path))
    assert len(t) == 1


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ScoringInputError, match="cannot read"):
        ResponseTable.from_csv(standard(), tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("q1\nDon\xe9\n".encode("latin-1"))
    with pytest.raises(ScoringInputError, match="not UTF-8 text"):
        ResponseTable.from_csv(standard(), latin)


def test_an_item_named_wave_is_an_item() -> None:
    doc = one_area_doc(1)
    doc["sections"][0]["items"][1]["id"] = "wave"
    inst = instrument.load(doc)
    t, _ = read("wave\n2\n", inst)
    assert t.waves == ("",)
    assert col(t, "wave") == [2.0]


def test_csv_and_stored_answers_give_the_same_table() -> None:
    inst = standard()
    rows = [
        {"q1": 1, "q2": "na", "role": "staff", "langs": ["en"], "years": 3},
        {"q1": 4, "q6": 5, "site": "north"},
    ]
    stored = table(inst, rows, ["b", "a"])
    csv_text = "wave,q1,q2,q6,role,site,langs,years\nb,1,Don't know,,Staff,,English,3\na,Strongly agree,,Five,,North,,\n"
    parsed, _ = read(csv_text)
    for name in ("likert", "not_applicable", "choices", "numbers", "wave_codes"):
        np.testing.assert_array_equal(getattr(stored, name), getattr(parsed, name))
    assert stored.waves == parsed.waves
    assert (
        score(inst, stored, min_group_size=3).to_dict()
        == score(inst, parsed, min_group_size=3).to_dict()
    )

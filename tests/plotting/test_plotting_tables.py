"""dlnotes.plotting.tables: show_table, the one way a notebook shows a table."""

import pytest

import dlnotes.plotting
import dlnotes.shapes
from dlnotes.plotting.tables import Table, as_table, format_table, rows_as_records, show_table
from dlnotes.shapes import BatchNorm2dSpec, Conv2dSpec, LayerRow, ReLUSpec, trace_shapes

CONV = Conv2dSpec(3, 32, 5, stride=2, padding=2)
ROWS = trace_shapes((1, 3, 28, 28), [CONV, BatchNorm2dSpec(32)])


def test_layer_rows_become_a_table_with_the_total():
    table = as_table(ROWS)
    assert table.headers == ("#", "layer", "output shape", "params")
    # conv: 32 * (3 * 5 * 5 + 1) = 2432 parameters; batch norm: 2 * 32 = 64
    assert table.rows == (
        ("0", "Conv2d(3→32, 5×5, s=2, p=2)", "(1, 32, 14, 14)", "2,432"),
        ("1", "BatchNorm2d(32)", "(1, 32, 14, 14)", "64"),
        ("", "total", "", "2,496"),
    )


def test_html_keeps_markup_and_text_strips_it():
    table = as_table([["<code>conv1</code>", 3]], headers=["名字", "<b>n</b>"])
    assert table._repr_html_() == (
        "<table class='table'><thead><tr><th>名字</th><th><b>n</b></th></tr></thead>"
        "<tbody><tr><td><code>conv1</code></td><td>3</td></tr></tbody></table>"
    )
    assert repr(table) == "| 名字 | n |\n|---|---|\n| conv1 | 3 |"


def test_records_give_their_keys_as_headers_or_the_chosen_ones():
    records = rows_as_records(ROWS)
    assert as_table(records).headers == ("layer", "output_shape", "params")
    table = as_table(records, headers=["params", "layer"])
    assert table.rows[1] == ("64", "BatchNorm2d(32)")


def test_show_table_displays_html_with_a_plain_text_fallback(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    show_table([[1, 2]], headers=["a", "b"])
    (table,) = shown
    assert isinstance(table, Table)
    assert "<td>1</td><td>2</td>" in table._repr_html_()
    assert repr(table).splitlines()[-1] == "| 1 | 2 |"


def test_show_table_prints_outside_ipython(capsys):
    show_table([{"x": 1}])
    assert capsys.readouterr().out == "| x |\n|---|\n| 1 |\n"


@pytest.mark.parametrize(
    "rows, headers, error, message",
    [
        ("abc", None, TypeError, "rows must be a list of rows"),
        ({"a": 1}, None, TypeError, "rows must be a list of rows .*got dict"),
        ([[1, 2]], None, ValueError, "headers must be given for rows that are lists"),
        ([[1, 2]], ["a"], ValueError, r"rows\[0\] must have one cell per header \(1\), got 2"),
        ([{"a": 1}, {"b": 2}], None, ValueError, r"rows\[1\] must have the keys \['a'\]"),
        ([[1], 2], ["a"], TypeError, r"rows\[1\] must be a list of cells, got int"),
        ([[1]], "a", TypeError, "headers must be a list of str"),
    ],
)
def test_bad_tables_are_refused(rows, headers, error, message):
    with pytest.raises(error, match=message):
        as_table(rows, headers)


def test_format_table_is_kept_and_re_exported():
    lines = format_table(ROWS).splitlines()
    assert lines[0] == "| # | layer | output shape | params |"
    assert lines[2] == "| 0 | Conv2d(3→32, 5×5, s=2, p=2) | (1, 32, 14, 14) | 2,432 |"
    assert lines[-1] == "|  | total |  | 2,496 |"
    assert rows_as_records([LayerRow(0, "ReLU()", (2,), 0)]) == [
        {"layer": "ReLU()", "output_shape": (2,), "params": 0}
    ]
    assert dlnotes.shapes.format_table is format_table is dlnotes.plotting.format_table
    assert dlnotes.shapes.rows_as_records is rows_as_records
    assert trace_shapes((1, 2), [ReLUSpec()])[0].params == 0

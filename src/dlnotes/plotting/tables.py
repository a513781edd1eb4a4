"""Tables in a notebook: one way to show them, :func:`show_table`.

A notebook shows a computed table as HTML (it renders in Jupyter and in the
book alike); outside IPython, or where HTML cannot be shown, the same table
prints as plain text. The rows can be the result of
:func:`dlnotes.shapes.trace_shapes`, a list of dicts (records), or a list of
rows with the headers given.

>>> from dlnotes.shapes import LinearSpec, trace_shapes
>>> print(as_table(trace_shapes((2, 4), [LinearSpec(4, 3)])))
| # | layer | output shape | params |
|---|---|---|---|
| 0 | Linear(4→3) | (2, 3) | 15 |
|  | total |  | 15 |
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dlnotes.shapes import LayerRow

__all__ = ["Table", "as_table", "show_table", "format_table", "rows_as_records"]

LAYER_HEADERS = ("#", "layer", "output shape", "params")


@dataclass(frozen=True, repr=False)
class Table:
    """Headers and rows of cells as text; shown as HTML by IPython, printed as plain text.

    A cell may hold HTML markup such as ``<code>conv1</code>`` or ``<b>合计</b>``:
    it is kept in the HTML and stripped from the plain text.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{cell}</th>" for cell in self.headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in self.rows
        )
        return f"<table class='table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __repr__(self) -> str:
        def line(cells: tuple[str, ...]) -> str:
            return "| " + " | ".join(re.sub(r"<[^>]+>", "", cell) for cell in cells) + " |"

        rule = "|" + "---|" * len(self.headers)
        return "\n".join([line(self.headers), rule, *(line(row) for row in self.rows)])


def as_table(rows: Sequence[Any], headers: Sequence[str] | None = None) -> Table:
    """Build a :class:`Table` from layer rows, records or plain rows.

    Parameters
    ----------
    rows : sequence of LayerRow, of dict, or of sequences, length R
        * LayerRow (from ``trace_shapes``): columns #, layer, output shape,
          params, and a last row with the total parameter count;
        * dict (records): one column per key of the first record, in order;
        * sequences: one cell each per header.
    headers : sequence of str, length K, optional
        The column titles; for records, the keys to show, in this order.
        Required for plain rows.

    Returns
    -------
    Table
        ``table.rows`` holds R rows of K cells, each as ``f"{value}"``.
    """
    headers, cells = _check_table(rows, headers)
    return Table(tuple(headers), tuple(tuple(f"{cell}" for cell in row) for row in cells))


def show_table(rows: Sequence[Any], headers: Sequence[str] | None = None) -> None:
    """Show a table in the notebook as HTML (plain text outside IPython); see :func:`as_table`.

    Examples
    --------
    >>> show_table([{"层": "conv1", "参数量": "2,432"}])
    | 层 | 参数量 |
    |---|---|
    | conv1 | 2,432 |
    """
    table = as_table(rows, headers)
    try:
        from IPython.display import display
    except ImportError:  # IPython is optional: print the plain-text table instead
        print(table)
        return
    display(table)  # outside a running kernel this prints the plain text, too


def _check_table(
    rows: Sequence[Any], headers: Sequence[str] | None
) -> tuple[Sequence[str], list[Sequence[Any]]]:
    """Validate the input of as_table; return the headers and the rows as lists of cells."""
    from dlnotes.shapes import LayerRow

    if isinstance(rows, (str, Mapping)) or not isinstance(rows, Sequence):
        raise TypeError(
            f"rows must be a list of rows (LayerRow, dict or list), got {type(rows).__name__}"
        )
    if headers is not None and (isinstance(headers, str) or not isinstance(headers, Sequence)):
        raise TypeError(f"headers must be a list of str, got {headers!r}")
    if rows and all(isinstance(row, LayerRow) for row in rows):
        total = sum(row.params for row in rows)
        cells = [[row.index, row.name, row.output_shape, f"{row.params:,}"] for row in rows]
        return headers or LAYER_HEADERS, [*cells, ["", "total", "", f"{total:,}"]]
    if rows and all(isinstance(row, Mapping) for row in rows):
        headers = list(rows[0]) if headers is None else headers
        for i, record in enumerate(rows):
            if missing := [key for key in headers if key not in record]:
                raise ValueError(f"rows[{i}] must have the keys {list(headers)}, lacks {missing}")
        return headers, [[record[key] for key in headers] for record in rows]
    if headers is None:
        raise ValueError("headers must be given for rows that are lists, got headers=None")
    for i, row in enumerate(rows):
        if isinstance(row, (str, Mapping)) or not isinstance(row, Sequence):
            raise TypeError(f"rows[{i}] must be a list of cells, got {type(row).__name__}")
        if len(row) != len(headers):
            raise ValueError(
                f"rows[{i}] must have one cell per header ({len(headers)}), got {len(row)}"
            )
    return headers, list(rows)


def rows_as_records(rows: Sequence[LayerRow]) -> list[dict[str, Any]]:
    """The rows of ``trace_shapes`` as plain dicts (``layer``, ``output_shape``, ``params``)."""
    return [
        {"layer": row.name, "output_shape": row.output_shape, "params": row.params} for row in rows
    ]


def format_table(
    rows: Sequence[LayerRow],
    headers: tuple[str, str, str, str] = LAYER_HEADERS,
) -> str:
    """A Markdown table of the rows of ``trace_shapes`` plus a line with the total parameter count.

    Notebooks show tables with :func:`show_table`; this text form is for scripts and files.

    Examples
    --------
    >>> from dlnotes.shapes import LinearSpec, trace_shapes
    >>> print(format_table(trace_shapes((2, 4), [LinearSpec(4, 3)])))
    | # | layer | output shape | params |
    |---:|:---|:---|---:|
    | 0 | Linear(4→3) | (2, 3) | 15 |
    |  | total |  | 15 |
    """
    lines = ["| " + " | ".join(headers) + " |", "|---:|:---|:---|---:|"]
    lines += [f"| {row.index} | {row.name} | {row.output_shape} | {row.params:,} |" for row in rows]
    lines.append(f"|  | total |  | {sum(row.params for row in rows):,} |")
    return "\n".join(lines)

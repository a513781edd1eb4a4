"""Print, per dlnotes module, the share of function-body lines that are input validation.

A body line counts as validation when it belongs to a ``raise`` or ``assert``
statement, to an ``if`` whose body only raises, or to a statement whose value
is a call to a check helper (``check_*``, ``_check_*``, ``as_float_array``,
``as_samples``). Docstrings are not body lines. Nested functions count once,
inside their outer function. The second column counts public functions and
methods only: there a call to a private ``_check_*`` helper is one line.

    python tools/validation_share.py [module paths...]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

CHECK_PREFIXES = ("check_", "_check", "as_float_array", "as_samples", "_real_array", "_as_")


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute):
            return func.attr
    return ""


def _is_check_call(node: ast.AST | None) -> bool:
    return node is not None and _call_name(node).startswith(CHECK_PREFIXES)


def _only_raises(body: list[ast.stmt]) -> bool:
    return all(
        isinstance(s, ast.Raise)
        or (isinstance(s, ast.If) and _only_raises(s.body) and _only_raises(s.orelse))
        for s in body
    )


def _validation_lines(stmt: ast.stmt) -> set[int]:
    lines = set(range(stmt.lineno, stmt.end_lineno + 1))
    if isinstance(stmt, (ast.Raise, ast.Assert)):
        return lines
    if isinstance(stmt, ast.If) and _only_raises(stmt.body) and _only_raises(stmt.orelse):
        return lines
    if isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign)) and _is_check_call(stmt.value):
        return lines
    found: set[int] = set()
    for field in ("body", "orelse", "finalbody", "handlers"):
        for child in getattr(stmt, field, []) or []:
            if isinstance(child, ast.stmt):
                found |= _validation_lines(child)
            elif isinstance(child, ast.ExceptHandler):
                for s in child.body:
                    found |= _validation_lines(s)
    return found


def _body_lines(func: ast.FunctionDef) -> set[int]:
    body = func.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]
    lines: set[int] = set()
    for stmt in body:
        lines |= set(range(stmt.lineno, stmt.end_lineno + 1))
    return lines


def share(path: Path, public_only: bool = False) -> tuple[int, int]:
    source = path.read_text(encoding="utf-8")
    blank = {
        i
        for i, line in enumerate(source.splitlines(), 1)
        if not line.strip() or line.strip().startswith("#")
    }
    tree = ast.parse(source)
    body: set[int] = set()
    checks: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if public_only and node.name.startswith("_") and not node.name.startswith("__"):
                continue
            lines = _body_lines(node) - blank
            if lines & body:
                continue  # nested function: already counted with its parent
            body |= lines
            stmts = (
                node.body[1:]
                if _body_lines(node)
                != {line for s in node.body for line in range(s.lineno, s.end_lineno + 1)}
                else node.body
            )
            for stmt in stmts:
                checks |= _validation_lines(stmt) - blank
    return len(checks & body), len(body)


def main(argv: list[str]) -> None:
    root = Path(__file__).resolve().parents[1] / "src" / "dlnotes"
    paths = [Path(p) for p in argv] or sorted(root.rglob("*.py"))
    totals = [0, 0, 0, 0]
    print(f"{'module':34s} {'all functions':>20s} {'public functions':>20s}")
    for path in paths:
        counts = (*share(path), *share(path, public_only=True))
        totals = [t + c for t, c in zip(totals, counts)]
        if counts[1]:
            print(
                f"{str(path.relative_to(root)):34s} "
                f"{_cell(*counts[:2]):>20s} {_cell(*counts[2:]):>20s}"
            )
    print(f"{'all':34s} {_cell(*totals[:2]):>20s} {_cell(*totals[2:]):>20s}")


def _cell(checks: int, body: int) -> str:
    return f"{checks:4d}/{body:4d} {checks / body:4.0%}" if body else "-"


if __name__ == "__main__":
    main(sys.argv[1:])

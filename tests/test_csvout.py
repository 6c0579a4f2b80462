"""CSV cells that a spreadsheet would run as formulas are neutralised, full-width forms included."""

from __future__ import annotations

import pytest

from service.csvout import cell


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "＝HYPERLINK(\"x\")", "＋1", "－1", "＠x"])
def test_formula_starts_are_prefixed(text: str) -> None:
    assert cell(text) == "'" + text


@pytest.mark.parametrize("value", ["ORR 97%", "a=b", "Ｃilta-cel", 42, -3.5])
def test_other_cells_are_unchanged(value: object) -> None:
    assert cell(value) == value

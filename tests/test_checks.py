"""dlnotes.checks.check_flag: a real bool or nothing (the other checks are tested through their callers)."""

import numpy as np
import pytest

from dlnotes.checks import check_flag


@pytest.mark.parametrize("value", [True, False, np.bool_(True), np.bool_(False)])
def test_bools_pass_as_python_bools(value):
    result = check_flag(value, "flag")
    assert result is bool(value)


@pytest.mark.parametrize("value", ["False", "True", 0, 1, 1.0, None, np.array([True])])
def test_anything_else_is_refused_by_name(value):
    with pytest.raises(TypeError, match=r"^flag must be True or False, got .* of type "):
        check_flag(value, "flag")

"""Shared settings for the dlnotes.layers tests.

The hypothesis profile is registered here but not loaded globally, so other
test folders keep their own settings; the test modules apply it with
``@settings.get_profile(PROFILE)``. ``derandomize=True`` makes every run draw
the same examples, so CI is deterministic, and ``database=None`` keeps the
working tree free of a ``.hypothesis`` folder.
"""

from hypothesis import HealthCheck, settings

PROFILE = "dlnotes-layers"

settings.register_profile(
    PROFILE,
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

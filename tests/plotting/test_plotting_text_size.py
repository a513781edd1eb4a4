"""dlnotes.plotting.text_size: a figure's smallest text as shown in the book, and the warning."""

import warnings

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import dlnotes.plotting
import dlnotes.plotting.text_size


def draw(fig, tmp_path):
    fig.savefig(tmp_path / "figure.png")
    plt.close(fig)


def test_text_too_small_for_the_column_warns_when_drawn(tmp_path, monkeypatch):
    monkeypatch.setenv("DLNOTES_CHECK_FIGURE_TEXT", "1")
    monkeypatch.setitem(matplotlib.rcParams, "figure.hooks", [])  # restored after the test
    dlnotes.plotting.use_chinese_font()
    fig, ax = plt.subplots(figsize=(14, 4))  # shrunk to 688 / 1400 of its size in the book
    ax.set_xlabel("迭代步数")
    with pytest.warns(
        dlnotes.plotting.FigureTextTooSmall, match=r"shows at [0-9.]+ CSS px .* below 9 px"
    ):
        draw(fig, tmp_path)


def test_a_figure_that_fits_the_column_is_quiet(tmp_path, monkeypatch):
    monkeypatch.setenv("DLNOTES_CHECK_FIGURE_TEXT", "1")
    monkeypatch.setitem(matplotlib.rcParams, "figure.hooks", [])  # restored after the test
    dlnotes.plotting.use_chinese_font()
    fig, ax = plt.subplots(figsize=(6.5, 4))  # shown at its own size: 10 pt is 13.9 CSS px
    ax.set_xlabel("迭代步数")
    ax.plot([0, 1], [1, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw(fig, tmp_path)


def test_smallest_text_by_hand_and_hidden_axes_ignored():
    fig, (left, right) = plt.subplots(1, 2, figsize=(6.88 * 2, 3))  # shown at half size
    left.set_title("标题", fontsize=20)
    right.plot([0, 1], [0, 1])
    right.axis("off")  # its tick labels are not shown, so they do not count
    left.tick_params(labelsize=18)
    fig.canvas.draw()  # tick labels get their text when drawn
    size, text = dlnotes.plotting.smallest_text(fig)
    plt.close(fig)
    assert round(size, 6) == round(18 / 72 * 100 / 2, 6)
    assert text != "标题"


def test_the_hook_is_registered_once(monkeypatch):
    monkeypatch.setenv("DLNOTES_CHECK_FIGURE_TEXT", "1")
    monkeypatch.setitem(matplotlib.rcParams, "figure.hooks", [])  # restored after the test
    dlnotes.plotting.use_chinese_font()
    dlnotes.plotting.use_chinese_font()
    hooks = matplotlib.rcParams["figure.hooks"]
    assert hooks.count("dlnotes.plotting:_watch_text_size") == 1


def test_smallest_text_refuses_bad_input():
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure, got Axes"):
        fig, ax = plt.subplots()
        try:
            dlnotes.plotting.smallest_text(ax)
        finally:
            plt.close(fig)
    fig = plt.figure()
    with pytest.raises(ValueError, match=r"column_px must be > 0, got 0\.0"):
        dlnotes.plotting.smallest_text(fig, column_px=0)
    with pytest.raises(TypeError, match="column_px must be a real number, got '688'"):
        dlnotes.plotting.smallest_text(fig, column_px="688")
    plt.close(fig)


def test_the_package_re_exports_the_size_check():
    for name in ("smallest_text", "FigureTextTooSmall", "COLUMN_PX", "MIN_TEXT_PX"):
        assert getattr(dlnotes.plotting, name) is getattr(dlnotes.plotting.text_size, name)
    # the figure.hooks entry is named through the package
    assert dlnotes.plotting._watch_text_size is dlnotes.plotting.text_size._watch_text_size

"""Chinese labels render without missing-glyph warnings."""

import subprocess
import sys
import warnings

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib import font_manager

import dlnotes.plotting


def test_chinese_title_and_mathtext_render_without_missing_glyphs(tmp_path):
    dlnotes.plotting.use_chinese_font()
    fig, ax = plt.subplots()
    ax.set_title("最小二乘法：拟合直线与残差 $\\hat{y} = wx + b$")
    ax.set_xlabel("学习率 $\\eta$（对数刻度）")
    ax.plot([-1.0, 0.0, 1.0], [-2.0, 0.5, 3.0], label="训练误差")
    ax.legend()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
        fig.savefig(tmp_path / "chinese.png")
        fig.savefig(tmp_path / "chinese.svg")
    plt.close(fig)
    assert (tmp_path / "chinese.png").stat().st_size > 0


def test_the_chosen_font_has_chinese_glyphs():
    name = dlnotes.plotting.use_chinese_font()
    path = font_manager.findfont(
        font_manager.FontProperties(family=name), fallback_to_default=False
    )
    from matplotlib.ft2font import FT2Font

    font = FT2Font(path)
    for char in "深度学习基础卷积梯度":
        assert font.get_char_index(ord(char)) != 0, f"{char} missing from {path}"


def test_without_the_helper_chinese_would_be_missing():
    # Guards the test above: in a clean interpreter with matplotlib's defaults, the same
    # title does raise the warning, so the check above can fail.
    code = (
        "import warnings, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt;"
        "warnings.simplefilter('error');"
        "f, a = plt.subplots(); a.set_title('深度学习'); f.canvas.draw()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0
    assert "missing from font" in result.stderr


def test_importing_the_module_is_enough():
    code = (
        "import warnings, matplotlib; matplotlib.use('Agg'); import dlnotes.plotting; import matplotlib.pyplot as plt;"
        "warnings.simplefilter('error');"
        "f, a = plt.subplots(); a.set_title('深度学习'); f.canvas.draw()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


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

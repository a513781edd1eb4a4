"""dlnotes.plotting.fonts: Chinese labels render without missing-glyph warnings."""

import subprocess
import sys
import warnings

import matplotlib

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
        "import warnings, matplotlib; matplotlib.use('Agg'); import dlnotes.plotting;"
        "import matplotlib.pyplot as plt;"
        "warnings.simplefilter('error');"
        "f, a = plt.subplots(); a.set_title('深度学习'); f.canvas.draw()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

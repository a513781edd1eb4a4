"""Draw the book's logo and favicon: a 3×3 convolution kernel behind the character 深.

Not a Sphinx extension: run it by hand after changing the design, and commit what it writes::

    .venv/bin/python book/_ext/make_logo.py

It writes, into ``book/_static``:

* ``logo.svg``: the logo in the sidebar (the glyph is a path, so no font is needed to show it);
* ``logo.png``: 512×512 on white, the ``og:image`` of every page (link previews want a bitmap);
* ``favicon.png``: 64×64, the browser tab icon (every browser reads PNG favicons).

The glyph comes from Noto Sans SC (the ``pylopdf-fonts-zh-cn`` package of the course). The
PNGs are drawn by matplotlib from the same geometry as the SVG.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

STATIC = Path(__file__).resolve().parents[1] / "_static"
SIZE = 64  # the drawing's coordinate system: a 64×64 tile, y pointing down as in SVG
RADIUS = 13
BACKGROUND = "#1f5fbf"
INK = "#ffffff"
# A 3×3 Gaussian-like kernel: the weight of each cell becomes its opacity.
KERNEL = [[0.10, 0.18, 0.10], [0.18, 0.30, 0.18], [0.10, 0.18, 0.10]]
CELL, GAP, MARGIN = 16.0, 2.0, 7.0
GLYPH, GLYPH_HEIGHT, GLYPH_STROKE = "深", 40.0, 1.2


def glyph_path() -> MplPath:
    """The glyph as a path in tile coordinates (y down), centred, GLYPH_HEIGHT tall."""
    import pylopdf_fonts_zh_cn

    font = Path(pylopdf_fonts_zh_cn.__file__).with_name("NotoSansSC-Regular.otf")
    path = TextPath((0, 0), GLYPH, size=100, prop=FontProperties(fname=font))
    box = path.get_extents()
    scale = GLYPH_HEIGHT / box.height
    to_tile = (
        Affine2D()
        .translate(-box.x0 - box.width / 2, -box.y0 - box.height / 2)
        .scale(scale, -scale)
        .translate(SIZE / 2, SIZE / 2)
    )
    return to_tile.transform_path(path)


def svg_path_data(path: MplPath) -> str:
    commands = {MplPath.MOVETO: "M", MplPath.LINETO: "L", MplPath.CURVE3: "Q", MplPath.CURVE4: "C"}
    parts = []
    for points, code in path.iter_segments():
        if code == MplPath.CLOSEPOLY:
            parts.append("Z")
            continue
        numbers = " ".join(f"{value:.2f}".rstrip("0").rstrip(".") for value in points)
        parts.append(commands[code] + numbers)
    return "".join(parts)


def cells():
    for row, weights in enumerate(KERNEL):
        for column, weight in enumerate(weights):
            yield MARGIN + column * (CELL + GAP), MARGIN + row * (CELL + GAP), weight


def write_svg(path: MplPath, target: Path) -> None:
    squares = "".join(
        f'<rect x="{x:g}" y="{y:g}" width="{CELL:g}" height="{CELL:g}" rx="2" '
        f'fill-opacity="{w:g}"/>'
        for x, y, w in cells()
    )
    target.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
        f'<rect width="64" height="64" rx="{RADIUS}" fill="{BACKGROUND}"/>'
        f'<g fill="{INK}">{squares}</g>'
        f'<path fill="{INK}" stroke="{INK}" stroke-width="{GLYPH_STROKE}" '
        f'stroke-linejoin="round" d="{svg_path_data(path)}"/>'
        "</svg>\n",
        encoding="utf-8",
    )


def write_png(path: MplPath, target: Path, pixels: int, opaque: bool = False) -> None:
    # Link previews show transparent corners as black on some sites: og:image is opaque.
    figure = plt.figure(figsize=(1, 1), dpi=pixels, facecolor="white" if opaque else "none")
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, SIZE)
    axes.set_ylim(SIZE, 0)
    axes.set_axis_off()
    axes.add_patch(
        FancyBboxPatch(
            (RADIUS, RADIUS),
            SIZE - 2 * RADIUS,
            SIZE - 2 * RADIUS,
            boxstyle=f"round,pad={RADIUS}",
            facecolor=BACKGROUND,
            edgecolor="none",
        )
    )
    for x, y, weight in cells():
        axes.add_patch(Rectangle((x, y), CELL, CELL, facecolor=INK, alpha=weight, edgecolor="none"))
    # The stroke width is in points: 1 tile unit is pixels / 64 pixels, and 72 points per inch.
    stroke = GLYPH_STROKE * pixels / SIZE * 72 / pixels
    axes.add_patch(
        PathPatch(path, facecolor=INK, edgecolor=INK, linewidth=stroke, joinstyle="round")
    )
    figure.savefig(target, dpi=pixels, transparent=not opaque, facecolor=figure.get_facecolor())
    plt.close(figure)


def main() -> None:
    path = glyph_path()
    write_svg(path, STATIC / "logo.svg")
    write_png(path, STATIC / "logo.png", 512, opaque=True)
    write_png(path, STATIC / "favicon.png", 64)


if __name__ == "__main__":
    main()

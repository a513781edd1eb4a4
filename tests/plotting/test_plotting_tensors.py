"""dlnotes.plotting.tensors: tensors of rank 0 to 4 side by side."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from dlnotes.plotting.tensors import draw_tensor_ranks


def test_tensor_ranks_figure_has_five_titled_panels(tmp_path):
    fig = draw_tensor_ranks()
    try:
        titles = [ax.get_title() for ax in fig.axes]
        assert len(titles) == 5
        for rank, (title, shape) in enumerate(
            zip(titles, ["()", "(4,)", "(3, 4)", "(3, 3, 4)", "(2, 3, 3, 4)"])
        ):
            assert title.startswith(f"{rank} 阶") and shape in title
        # the matrix panel shows its 12 numbers; the rank-3 panel draws 3 layers of 12 cells
        assert len(fig.axes[2].texts) == 12
        assert len(fig.axes[3].patches) == 36 and len(fig.axes[4].patches) == 72
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.savefig(tmp_path / "ranks.png", dpi=40)
    finally:
        plt.close(fig)

"""dlnotes.datasets.shapes: seeded scenes whose boxes enclose exactly the drawn shapes."""

import numpy as np
import pytest

from dlnotes.datasets.shapes import SHAPE_CLASSES, make_shapes_detection

# The background is at most 90/255 + noise (noise <= 0.2), a shape at least 170/255.
THRESHOLD = 0.6


def test_same_seed_same_bytes_and_another_seed_other_images():
    a = make_shapes_detection(20, seed=3)
    b = make_shapes_detection(20, seed=3)
    c = make_shapes_detection(20, seed=4)
    assert a.images.tobytes() == b.images.tobytes()
    for boxes_a, boxes_b, labels_a, labels_b in zip(a.boxes, b.boxes, a.labels, b.labels):
        assert boxes_a.tobytes() == boxes_b.tobytes() and labels_a.tobytes() == labels_b.tobytes()
    assert a.images.tobytes() != c.images.tobytes()


@pytest.mark.parametrize(
    ("size", "max_objects", "noise"), [(48, 3, 0.05), (32, 5, 0.2), (64, 1, 0.0)]
)
def test_types_ranges_and_counts(size, max_objects, noise):
    scenes = make_shapes_detection(30, size=size, max_objects=max_objects, noise=noise, seed=1)
    assert scenes.images.shape == (30, 3, size, size) and scenes.images.dtype == np.float32
    assert scenes.images.min() >= 0.0 and scenes.images.max() <= 1.0
    assert len(scenes.boxes) == len(scenes.labels) == 30
    for boxes, labels in zip(scenes.boxes, scenes.labels):
        assert boxes.dtype == np.float32 and labels.dtype == np.int64
        assert 1 <= len(boxes) <= max_objects and labels.shape == (len(boxes),)
        assert np.all(boxes == np.round(boxes))  # integer corners
        assert np.all((boxes[:, :2] >= 0) & (boxes[:, 2:] <= size))
        assert set(labels.tolist()) <= set(range(len(SHAPE_CLASSES)))


@pytest.mark.parametrize("noise", [0.0, 0.2])
def test_boxes_tightly_enclose_the_drawn_pixels_and_nothing_else_is_drawn(noise):
    scenes = make_shapes_detection(60, size=40, max_objects=4, noise=noise, seed=5)
    for image, boxes in zip(scenes.images, scenes.boxes):
        drawn = image.max(axis=0) > THRESHOLD  # (H, W)
        covered = np.zeros_like(drawn)
        for x1, y1, x2, y2 in boxes.astype(int):
            inside = drawn[y1:y2, x1:x2]
            rows, cols = np.flatnonzero(inside.any(axis=1)), np.flatnonzero(inside.any(axis=0))
            # pixel (r, c) covers [c, c + 1) x [r, r + 1): the box is the pixels' hull
            assert (cols[0], rows[0], cols[-1] + 1, rows[-1] + 1) == (0, 0, x2 - x1, y2 - y1)
            covered[y1:y2, x1:x2] = True
        assert not np.any(drawn & ~covered)


def test_boxes_of_one_image_never_touch():
    scenes = make_shapes_detection(80, size=32, max_objects=5, seed=2)
    for boxes in scenes.boxes:
        for i in range(len(boxes)):
            for j in range(i):
                a, b = boxes[i], boxes[j]
                assert a[0] > b[2] or b[0] > a[2] or a[1] > b[3] or b[1] > a[3]


def test_each_class_has_its_shape():
    scenes = make_shapes_detection(200, size=48, object_size=(12, 20), noise=0.0, seed=7)
    seen = set()
    for image, boxes, labels in zip(scenes.images, scenes.boxes, scenes.labels):
        for (x1, y1, x2, y2), label in zip(boxes.astype(int), labels):
            mask = image.max(axis=0)[y1:y2, x1:x2] > THRESHOLD
            w, h = x2 - x1, y2 - y1
            fill = mask.mean()
            if label == 0:  # square: the whole box
                assert fill == 1.0
            elif label == 1:  # circle: w == h, area pi/4 of the box up to the rim pixels
                assert w == h and abs(fill - np.pi / 4) < 4 / w
            else:  # triangle: half the box, one or two pixels wide at the top, full at the bottom
                assert abs(fill - 0.5) < 2 / min(w, h)
                assert mask[0].sum() in (1, 2) and mask[-1].all()
            seen.add(int(label))
    assert seen == {0, 1, 2}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_images": 0}, ValueError, r"n_images must be >= 1, got 0"),
        ({"size": 4}, ValueError, r"size must be >= 8, got 4"),
        ({"max_objects": 0}, ValueError, r"max_objects must be >= 1, got 0"),
        (
            {"object_size": (5,)},
            ValueError,
            r"object_size must be a pair \(low, high\), got \(5,\)",
        ),
        ({"object_size": (1, 5)}, ValueError, r"object_size\[0\] must be >= 2, got 1"),
        ({"object_size": (9, 5)}, ValueError, r"2 <= low <= high <= size = 48, got \(9, 5\)"),
        ({"object_size": (8, 60)}, ValueError, r"high <= size = 48, got \(8, 60\)"),
        ({"noise": -0.1}, ValueError, r"noise must lie in \[0, 0\.2\], got -0\.1"),
        ({"noise": 0.5}, ValueError, r"noise must lie in \[0, 0\.2\], got 0\.5"),
        ({"seed": None}, TypeError, r"seed must be an integer"),
        ({"n_images": 2.0}, TypeError, r"n_images must be an integer, got 2\.0"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    arguments = {"n_images": 2, **kwargs}
    with pytest.raises(error, match=message):
        make_shapes_detection(**arguments)

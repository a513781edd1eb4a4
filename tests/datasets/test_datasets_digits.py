import socket

import numpy as np
import pytest

import dlnotes.image_data
from dlnotes.datasets import (
    ImageSplit,
    load_upsampled_digits,
    resize_bilinear,
    stratified_split,
)


def test_the_old_module_re_exports_the_same_objects():
    assert dlnotes.image_data.load_upsampled_digits is load_upsampled_digits
    assert dlnotes.image_data.resize_bilinear is resize_bilinear
    assert dlnotes.image_data.stratified_split is stratified_split
    assert dlnotes.image_data.ImageSplit is ImageSplit


def needs(name):
    return pytest.importorskip(name)


# ---------------------------------------------------------------- resize_bilinear


def test_resize_matches_a_hand_computed_row():
    # Output pixel i of a 2 -> 4 enlargement sits at input position (i + 0.5) * 2 / 4 - 0.5,
    # i.e. -0.25, 0.25, 0.75, 1.25; clamped to [0, 1] these are the values of the ramp 0 -> 1.
    out = resize_bilinear(np.array([[[0.0, 1.0]]]), (1, 4))
    np.testing.assert_allclose(out, [[[0.0, 0.25, 0.75, 1.0]]], rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    ("shape", "size"), [((3, 8, 8), 28), ((2, 9, 13), (5, 30)), ((1, 4, 6), (12, 3))]
)
def test_resize_matches_opencv_and_torch(shape, size):
    cv2, torch = needs("cv2"), needs("torch")
    images = np.random.default_rng(1).random(shape)
    out_h, out_w = (size, size) if isinstance(size, int) else size
    ours = resize_bilinear(images, size)
    assert ours.shape == (shape[0], out_h, out_w)
    opencv = np.stack(
        [cv2.resize(img, (out_w, out_h), interpolation=cv2.INTER_LINEAR) for img in images]
    )
    np.testing.assert_allclose(ours, opencv, rtol=0, atol=1e-12)
    reference = torch.nn.functional.interpolate(
        torch.from_numpy(images)[:, None], size=(out_h, out_w), mode="bilinear", align_corners=False
    )[:, 0].numpy()
    np.testing.assert_allclose(ours, reference, rtol=0, atol=1e-12)


def test_resize_keeps_float32_and_stays_within_the_input_range():
    images = np.random.default_rng(2).random((4, 8, 8)).astype(np.float32)
    out = resize_bilinear(images, 28)
    assert out.dtype == np.float32
    assert out.min() >= images.min() and out.max() <= images.max()
    np.testing.assert_array_equal(
        resize_bilinear(np.full((1, 3, 3), 0.5), 7), np.full((1, 7, 7), 0.5)
    )


@pytest.mark.parametrize(
    ("images", "size", "error", "message"),
    [
        (np.zeros((8, 8)), 28, ValueError, r"images must have rank 3 \(N, H, W\), got rank 2"),
        (
            np.zeros((1, 8, 8), dtype=complex),
            28,
            TypeError,
            r"images must hold real numbers.*complex128",
        ),
        (np.zeros((1, 8, 8)), 0, ValueError, r"size must be >= 1, got 0"),
        (np.zeros((1, 8, 8)), 2.5, TypeError, r"size must be an integer, got 2\.5"),
        (
            np.zeros((1, 8, 8)),
            (4, 4, 4),
            ValueError,
            r"size must be an int or an \(h, w\) pair, got \(4, 4, 4\)",
        ),
    ],
)
def test_resize_rejects_bad_arguments(images, size, error, message):
    with pytest.raises(error, match=message):
        resize_bilinear(images, size)


# ---------------------------------------------------------------- stratified_split


def test_split_is_a_partition_that_keeps_every_class_share():
    labels = np.repeat(np.arange(4), [40, 20, 8, 3])
    train, test = stratified_split(labels, test_fraction=0.25, seed=3)
    assert np.intersect1d(train, test).size == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(labels.size))
    # round(0.25 * n) per class, by hand: 40 -> 10, 20 -> 5, 8 -> 2, 3 -> 1 (0.75 rounds up)
    np.testing.assert_array_equal(np.bincount(labels[test]), [10, 5, 2, 1])


def test_split_is_deterministic_for_a_seed_and_changes_with_it():
    labels = np.arange(200) % 5
    a, b, c = (stratified_split(labels, 0.3, seed) for seed in (0, 0, 1))
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"labels": [0.0, 1.0]}, TypeError, r"labels must be integers, got dtype float64"),
        ({"labels": [[0, 1]]}, ValueError, r"labels must have rank 1 \(N,\), got rank 2"),
        ({"test_fraction": 0}, ValueError, r"test_fraction must lie in \(0, 1\), got 0"),
        ({"test_fraction": 1.0}, ValueError, r"test_fraction must lie in \(0, 1\), got 1\.0"),
        (
            {"test_fraction": "0.2"},
            TypeError,
            r"test_fraction must be a real number, got '0\.2' of type str",
        ),
        ({"seed": -1}, ValueError, r"seed must be >= 0, got -1"),
        ({"seed": 1.5}, TypeError, r"seed must be an integer .* got 1\.5"),
        ({"seed": None}, TypeError, r"seed must be an integer .* got None"),
        ({"labels": []}, TypeError, r"labels must be integers, got dtype float64"),
        (
            {"labels": np.array([], dtype=int)},
            ValueError,
            r"labels must not be empty, got shape \(0,\)",
        ),
    ],
)
def test_split_rejects_bad_arguments(kwargs, error, message):
    arguments = {"labels": [0, 1, 0, 1], **kwargs}
    with pytest.raises(error, match=message):
        stratified_split(**arguments)


def test_split_refuses_an_empty_part_and_names_the_counts():
    # issue 10: 0.1 of two classes of 4 rounds to 0 test samples each: the test part was empty.
    with pytest.raises(
        ValueError,
        match=r"test_fraction = 0\.1 of the class counts \{0: 4, 1: 4\} rounds to \[0, 0\] "
        r"test samples per class, which leaves the test part empty",
    ):
        stratified_split([0, 0, 0, 0, 1, 1, 1, 1], test_fraction=0.1)
    with pytest.raises(ValueError, match=r"rounds to \[1, 1\] .* leaves the training part empty"):
        stratified_split([0, 1], test_fraction=0.9)


def test_split_accepts_numpy_scalars():
    labels = np.arange(40) % 4
    a = stratified_split(labels, np.float32(0.25), np.int64(3))
    b = stratified_split(labels, 0.25, 3)
    np.testing.assert_array_equal(a[1], b[1])


# ---------------------------------------------------------------- load_upsampled_digits


@pytest.fixture(scope="module")
def digits():
    needs("sklearn")
    return load_upsampled_digits()


def test_digits_have_the_documented_shapes_types_and_range(digits):
    assert digits.x_train.shape == (1347, 3, 28, 28) and digits.x_test.shape == (450, 3, 28, 28)
    assert digits.y_train.shape == (1347,) and digits.y_test.shape == (450,)
    assert digits.x_train.dtype == np.float32 and digits.y_train.dtype == np.int64
    for x in (digits.x_train, digits.x_test):
        assert x.min() == 0.0 and x.max() == 1.0
        np.testing.assert_array_equal(x[:, 0], x[:, 2])  # the grey image repeated in every channel


def test_digits_match_an_independent_opencv_pipeline(digits):
    cv2 = needs("cv2")
    from sklearn.datasets import load_digits

    raw = load_digits()
    train, test = stratified_split(raw.target, 0.25, 0)
    for split_index, source_index in ((0, test[0]), (123, test[123])):
        expected = cv2.resize(
            (raw.images[source_index] / 16).astype(np.float32),
            (28, 28),
            interpolation=cv2.INTER_LINEAR,
        )
        np.testing.assert_allclose(digits.x_test[split_index, 1], expected, rtol=0, atol=1e-6)
        assert digits.y_test[split_index] == raw.target[source_index]
    # The split keeps each class's share: round(0.25 * n_class) test images per class.
    counts = np.bincount(raw.target)
    np.testing.assert_array_equal(np.bincount(digits.y_test), np.round(0.25 * counts).astype(int))
    np.testing.assert_array_equal(
        np.bincount(digits.y_train), counts - np.round(0.25 * counts).astype(int)
    )


def test_digits_are_deterministic_and_options_work(digits):
    again = load_upsampled_digits()
    np.testing.assert_array_equal(digits.x_train, again.x_train)
    np.testing.assert_array_equal(digits.y_test, again.y_test)
    small = load_upsampled_digits(size=8, channels=1, test_fraction=0.5, seed=1)
    assert small.x_train.shape[1:] == (1, 8, 8) and abs(len(small.y_test) - 1797 / 2) <= 5


def test_digits_need_no_network(monkeypatch):
    needs("sklearn")

    def refuse(*args, **kwargs):
        raise AssertionError("load_upsampled_digits tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert load_upsampled_digits(size=8).x_train.shape == (1347, 3, 8, 8)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"size": 7}, ValueError, r"size must be >= 8, got 7"),
        ({"channels": 0}, ValueError, r"channels must be >= 1, got 0"),
        ({"channels": 3.0}, TypeError, r"channels must be an integer, got 3\.0"),
        ({"test_fraction": 1.5}, ValueError, r"test_fraction must lie in \(0, 1\), got 1\.5"),
        ({"seed": None}, TypeError, r"seed must be an integer .* got None"),
    ],
)
def test_digits_reject_bad_arguments(kwargs, error, message):
    # refused before scikit-learn is imported, so these run without it too
    with pytest.raises(error, match=message):
        load_upsampled_digits(**kwargs)

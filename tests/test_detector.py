"""dlnotes.detector: the tiny detector's shapes, its loss by hand and against numpy, decoding."""

import numpy as np
import pytest

from dlnotes.box_coding import anchor_targets, encode_boxes
from dlnotes.detector import (
    build_tiny_detector,
    decode_detections,
    detection_loss,
    detector_anchors,
)
from dlnotes.layers import binary_focal_loss

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("size", [48, 64])
def test_outputs_follow_the_anchors(size):
    torch.manual_seed(0)
    model = build_tiny_detector(num_classes=5, width=4)
    logits, offsets = model(torch.zeros(2, 3, size, size))
    n_anchors = 3 * ((size // 4) ** 2 + (size // 8) ** 2)
    assert detector_anchors(size).shape == (n_anchors, 4)
    assert logits.shape == (2, n_anchors, 5) and offsets.shape == (2, n_anchors, 4)
    # the prior bias: every class starts near probability 0.01
    assert torch.allclose(torch.sigmoid(logits), torch.tensor(0.01), atol=0.01)


def test_each_output_row_belongs_to_its_anchor():
    """Perturb one pixel: only anchors whose cells see it may change (receptive field)."""
    torch.manual_seed(1)
    model = build_tiny_detector(width=4).eval()
    x = torch.zeros(1, 3, 48, 48)
    base, _ = model(x)
    x[0, :, 2, 2] = 1.0  # top-left corner
    changed = (model(x)[0] - base).abs().amax(dim=-1)[0] > 0
    centres = (detector_anchors(48)[:, :2] + detector_anchors(48)[:, 2:]) / 2
    far = np.all(centres > 40, axis=1)  # far from the corner: beyond every receptive field
    assert changed.any() and not changed[torch.from_numpy(far)].any()


def test_loss_by_hand_on_a_tiny_case():
    # one image, two anchors, one class, every logit 0: p = 1/2 everywhere
    logits, offsets = torch.zeros(1, 2, 1), torch.zeros(1, 2, 4)
    classes = torch.tensor([[0, -1]])  # anchor 0 positive, anchor 1 background
    targets = torch.tensor([[[0.5, -2.0, 0.0, 1.0], [9.0, 9.0, 9.0, 9.0]]])
    class_loss, box_loss = detection_loss(logits, offsets, classes, targets, gamma=2, alpha=0.25)
    # positive: 0.25 * (1/2)^2 * ln 2; negative: 0.75 * (1/2)^2 * ln 2; one positive anchor
    assert class_loss.item() == pytest.approx(0.25 * np.log(2), rel=1e-6)
    # smooth L1 (beta 1) of the positive's errors 0.5, 2, 0, 1: 0.125 + 1.5 + 0 + 0.5
    assert box_loss.item() == pytest.approx(2.125, rel=1e-6)


def test_loss_equals_the_numpy_focal_loss_and_a_smooth_l1_by_hand():
    gen = torch.Generator().manual_seed(3)
    logits = torch.randn(2, 7, 3, generator=gen, dtype=torch.float64)
    offsets = torch.randn(2, 7, 4, generator=gen, dtype=torch.float64)
    classes = torch.tensor([[0, -1, 2, -1, -1, 1, -1], [-1, -1, -1, 2, -1, -1, -1]])
    targets = torch.randn(2, 7, 4, generator=gen, dtype=torch.float64)
    class_loss, box_loss = detection_loss(logits, offsets, classes, targets, gamma=1.5, alpha=0.3)
    one_hot = np.zeros((2, 7, 3))
    for (n, a), c in np.ndenumerate(classes.numpy()):
        if c >= 0:
            one_hot[n, a, c] = 1
    summed, _ = binary_focal_loss(logits.numpy(), one_hot, 1.5, 0.3, reduction="sum")
    n_positive = 4
    assert class_loss.item() == pytest.approx(summed / n_positive, rel=1e-12)
    error = np.abs(offsets.numpy() - targets.numpy())[classes.numpy() >= 0]
    smooth = np.where(error < 1, 0.5 * error**2, error - 0.5).sum()
    assert box_loss.item() == pytest.approx(smooth / n_positive, rel=1e-12)


def test_loss_decreases_on_one_batch():
    torch.manual_seed(0)
    model = build_tiny_detector(width=4)
    anchors = detector_anchors(48)
    boxes = [np.array([[4.0, 6.0, 16.0, 18.0]]), np.array([[20.0, 20.0, 40.0, 36.0]])]
    labels = [np.array([0]), np.array([2])]
    targets = [anchor_targets(anchors, b, c) for b, c in zip(boxes, labels)]
    classes = torch.from_numpy(np.stack([t[0] for t in targets]))
    offsets = torch.from_numpy(np.stack([t[1] for t in targets]))
    x = torch.rand(2, 3, 48, 48, generator=torch.Generator().manual_seed(0))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(40):
        loss = sum(detection_loss(*model(x), classes, offsets))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] / 4


def test_loss_bad_input():
    logits, offsets = torch.zeros(1, 3, 2), torch.zeros(1, 3, 4)
    with pytest.raises(ValueError, match=r"target_classes must have shape \(1, 3\), got \(1, 2\)"):
        detection_loss(logits, offsets, torch.zeros(1, 2, dtype=torch.long), offsets)
    with pytest.raises(ValueError, match=r"offsets must have shape \(1, 3, 4\), got \(1, 3, 2\)"):
        detection_loss(logits, logits, torch.zeros(1, 3, dtype=torch.long), offsets)
    with pytest.raises(ValueError, match=r"target_classes must be integers in \[-1, 1\]"):
        detection_loss(logits, offsets, torch.tensor([[0, 2, -1]]), offsets)
    with pytest.raises(ValueError, match=r"target_classes must be integers in \[-1, 1\]"):
        detection_loss(logits, offsets, torch.zeros(1, 3), offsets)


def test_decode_detections_thresholds_nms_and_exact_boxes():
    anchors = np.array([[0, 0, 10, 10], [1, 0, 11, 10], [30, 30, 40, 40]], dtype=float)
    box = np.array([[2.0, 3.0, 12.0, 15.0]])
    offsets = np.zeros((3, 4))
    offsets[2] = encode_boxes(box, anchors[2:])[0]
    # anchor 0 and 1 see class 1 (sigmoid 0.98 and 0.95); anchor 2 sees class 0 with 0.73
    logits = np.array([[-9.0, 4.0], [-9.0, 3.0], [1.0, -9.0]])
    found = decode_detections(logits, offsets, anchors, score_threshold=0.5)
    np.testing.assert_array_equal(found["labels"], [1, 0])  # anchor 1 removed by NMS
    np.testing.assert_allclose(found["scores"], 1 / (1 + np.exp(-np.array([4.0, 1.0]))))
    np.testing.assert_allclose(found["boxes"], np.array([anchors[0], box[0]]), atol=1e-12)
    only_best = decode_detections(logits, offsets, anchors, score_threshold=0.5, max_detections=1)
    np.testing.assert_array_equal(only_best["labels"], [1])
    assert len(decode_detections(logits, offsets, anchors, score_threshold=0.99)["boxes"]) == 0


def test_decode_detections_bad_input():
    anchors = np.array([[0, 0, 10, 10]], dtype=float)
    with pytest.raises(ValueError, match=r"class_logits must have rank 2"):
        decode_detections(np.zeros(3), np.zeros((1, 4)), anchors)
    with pytest.raises(ValueError, match=r"offsets and anchors must have one row per anchor"):
        decode_detections(np.zeros((1, 2)), np.zeros((2, 4)), anchors)
    with pytest.raises(ValueError, match=r"score_threshold must lie in \[0, 1\], got 2"):
        decode_detections(np.zeros((1, 2)), np.zeros((1, 4)), anchors, score_threshold=2)
    with pytest.raises(ValueError, match=r"max_detections must be >= 1, got 0"):
        decode_detections(np.zeros((1, 2)), np.zeros((1, 4)), anchors, max_detections=0)


def test_build_bad_input():
    with pytest.raises(ValueError, match=r"prior must lie in \(0, 1\), got 0\.0"):
        build_tiny_detector(prior=0.0)
    with pytest.raises(ValueError, match=r"num_classes must be >= 1, got 0"):
        build_tiny_detector(num_classes=0)
    with pytest.raises(ValueError, match=r"image_size must be >= 8, got 4"):
        detector_anchors(4)

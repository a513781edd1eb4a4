"""Old home of the binary focal loss; it now lives with the other losses in ``dlnotes.layers``.

``from dlnotes.classification_losses import binary_focal_loss`` keeps working
and gives the same function as ``dlnotes.layers.binary_focal_loss``.
"""

from dlnotes.layers.losses import binary_focal_loss

__all__ = ["binary_focal_loss"]

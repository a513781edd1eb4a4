"""An independent AP reference shared by the metrics tests."""

import numpy as np


def voc_all_point_ap(precision, recall):
    """PASCAL VOC 2010+ devkit style: sentinels, a backwards max, sum over recall changes."""
    mrec = np.concatenate([[0.0], recall, [1.0]])
    mpre = np.concatenate([[0.0], precision, [0.0]])
    for i in range(len(mpre) - 2, -1, -1):
        mpre[i] = max(mpre[i], mpre[i + 1])
    changes = np.where(mrec[1:] != mrec[:-1])[0]
    return np.sum((mrec[changes + 1] - mrec[changes]) * mpre[changes + 1])

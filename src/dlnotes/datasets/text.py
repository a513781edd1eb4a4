"""A short public-domain Chinese text, and characters as integer ids for a character model.

《千字文》 (the Thousand Character Classic, 6th century, public domain) has 250
lines of 4 characters, 1000 in all. It is stored in ``data/qianziwen.txt`` in
simplified characters, one 8-character couplet per line as ``天地玄黄，宇宙洪荒。``.
In the traditional text nearly every character occurs once; simplification
merges a few pairs (髮/發 → 发, 雲/云 → 云, 崑/昆 → 昆, 潔/絜 → 洁, 並/併 → 并) and
戚 occurs twice in both, so the simplified text has 994 distinct characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import check_flag

__all__ = ["load_qianziwen", "CharVocabulary"]


def load_qianziwen(punctuation: bool = False) -> str:
    """The text of 《千字文》 in simplified characters, read from the installed package.

    Parameters
    ----------
    punctuation : bool
        False: the 1000 characters only. True: with ``，`` after the first and ``。`` after the
        second line of each couplet (1250 characters, no line breaks).

    Examples
    --------
    >>> text = load_qianziwen()
    >>> len(text), text[:8]
    (1000, '天地玄黄宇宙洪荒')
    >>> load_qianziwen(punctuation=True)[:10]
    '天地玄黄，宇宙洪荒。'
    """
    punctuation = check_flag(punctuation, "punctuation")
    lines = (files("dlnotes.datasets") / "data" / "qianziwen.txt").read_text("utf-8").split()
    text = "".join(lines)
    return text if punctuation else text.replace("，", "").replace("。", "")


@dataclass(frozen=True)
class CharVocabulary:
    """The distinct characters of a text, in order of first appearance, numbered from 0.

    Examples
    --------
    >>> vocab = CharVocabulary.from_text("天地天")
    >>> vocab.chars, len(vocab)
    (('天', '地'), 2)
    >>> vocab.encode("地天").tolist(), vocab.decode([0, 1, 1])
    ([1, 0], '天地地')
    """

    chars: tuple[str, ...]

    @classmethod
    def from_text(cls, text: str) -> CharVocabulary:
        if not isinstance(text, str) or not text:
            raise TypeError(f"text must be a non-empty str, got {text!r:.40} of type {type(text)}")
        return cls(tuple(dict.fromkeys(text)))

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """Character ids, shape (len(text),), int64; a character outside the vocabulary raises."""
        index = {c: i for i, c in enumerate(self.chars)}
        unknown = [c for c in text if c not in index]
        if unknown:
            raise ValueError(
                f"text has characters outside the vocabulary of {len(self)}: {unknown[:5]}"
            )
        return np.array([index[c] for c in text], dtype=np.int64)

    def decode(self, ids: ArrayLike) -> str:
        """The characters of integer ids in [0, len(self))."""
        ids = np.asarray(ids)
        if ids.ndim == 1 and ids.size == 0:
            return ""
        if ids.dtype.kind not in "iu" or ids.ndim != 1:
            raise TypeError(
                f"ids must be a 1-D array of integers, got dtype {ids.dtype} and shape {ids.shape}"
            )
        bad = (ids < 0) | (ids >= len(self))
        if bad.any():
            raise ValueError(
                f"ids must lie in [0, {len(self)}), got {int(ids[bad][0])} at index "
                f"{int(np.flatnonzero(bad)[0])}"
            )
        return "".join(self.chars[i] for i in ids)

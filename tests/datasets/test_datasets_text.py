"""load_qianziwen and CharVocabulary."""

import collections

import numpy as np
import pytest

from dlnotes.datasets.text import CharVocabulary, load_qianziwen


def test_qianziwen_has_1000_characters_in_250_lines_of_four():
    text = load_qianziwen()
    assert len(text) == 1000
    assert text.startswith("天地玄黄宇宙洪荒日月盈昃辰宿列张")
    assert text.endswith("谓语助者焉哉乎也")
    assert all("\u4e00" <= c <= "\u9fff" for c in text)  # CJK ideographs only


def test_qianziwen_with_punctuation_marks_every_couplet():
    text = load_qianziwen(punctuation=True)
    assert len(text) == 1250
    couplets = text.split("。")[:-1]
    assert len(couplets) == 125 and text.endswith("。")
    assert all(len(c) == 9 and c[4] == "，" for c in couplets)
    assert text.replace("，", "").replace("。", "") == load_qianziwen()


def test_qianziwen_repeats_only_the_characters_that_simplification_merged():
    # traditional 髮/發, 雲/云, 崑/昆, 潔/絜, 並/併 became one character each; 戚 is twice in both
    counts = collections.Counter(load_qianziwen())
    assert {c for c, k in counts.items() if k > 1} == set("发云昆洁并戚")
    assert max(counts.values()) == 2
    assert len(counts) == 1000 - 6


def test_qianziwen_rejects_a_non_bool_flag():
    with pytest.raises(TypeError, match=r"punctuation must be True or False, got 1"):
        load_qianziwen(1)


def test_vocabulary_round_trip_in_order_of_first_appearance():
    text = load_qianziwen(punctuation=True)
    vocab = CharVocabulary.from_text(text)
    assert len(vocab) == 994 + 2
    assert vocab.chars[:5] == tuple("天地玄黄，")
    ids = vocab.encode(text)
    assert ids.dtype == np.int64 and ids.shape == (1250,)
    assert vocab.decode(ids) == text and vocab.decode([]) == ""
    assert [vocab.chars[i] for i in ids[:4]] == list("天地玄黄")


def test_vocabulary_rejects_bad_input():
    vocab = CharVocabulary.from_text("天地")
    with pytest.raises(ValueError, match=r"characters outside the vocabulary of 2: \['玄'\]"):
        vocab.encode("天玄")
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 2\), got 2 at index 1"):
        vocab.decode([0, 2])
    with pytest.raises(TypeError, match=r"ids must be a 1-D array of integers, got dtype float64"):
        vocab.decode([0.0])
    with pytest.raises(TypeError, match=r"text must be a non-empty str"):
        CharVocabulary.from_text("")

"""Verify a candidate pair: exact Jaccard similarity and containment of their shingle sets, and the verdict.

Thresholds (measured with bench/stories_accuracy.py; README, "Stories"):
- SAME: Jaccard >= SAME_JACCARD, or containment >= SAME_CONTAINMENT (a cut copy is contained in its original);
- POSSIBLE (the editors' queue): Jaccard >= POSSIBLE_JACCARD or containment >= POSSIBLE_CONTAINMENT;
- otherwise different.
Containment counts only when the smaller piece has at least MIN_CONTAINED shingles, so a short excerpt that shares a
stock paragraph with a long piece is not taken for a cut copy of it.
"""

from dataclasses import dataclass

import numpy as np

from articles.stories.signatures import MIN_SHINGLES

SAME_JACCARD = 0.5
SAME_CONTAINMENT = 0.8
POSSIBLE_JACCARD = 0.3
POSSIBLE_CONTAINMENT = 0.5
MIN_CONTAINED = MIN_SHINGLES

SAME, POSSIBLE, DIFFERENT = "same", "possible", "different"


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float

    @property
    def verdict(self) -> str:
        if self.jaccard >= SAME_JACCARD or self.containment >= SAME_CONTAINMENT:
            return SAME
        if self.jaccard >= POSSIBLE_JACCARD or self.containment >= POSSIBLE_CONTAINMENT:
            return POSSIBLE
        return DIFFERENT


def similarity(first: np.ndarray, second: np.ndarray) -> Similarity:
    """Return the exact Jaccard similarity and containment (shared shingles over the smaller set's) of two shingle
    sets (`signatures.shingle_set`: sorted, distinct)."""
    if not len(first) or not len(second):
        return Similarity(0.0, 0.0)
    shared = len(np.intersect1d(first, second, assume_unique=True))
    smaller = min(len(first), len(second))
    containment = shared / smaller if smaller >= MIN_CONTAINED else 0.0
    return Similarity(shared / (len(first) + len(second) - shared), containment)

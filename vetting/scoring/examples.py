"""A criterion's labelled examples as a scale: a new answer is placed by how it compares with answers already graded.

For qualities of tone or stance (empathy, candour) a key point such as "the reply reflects how the person feels" is a
description of an answer, and no sentence of an answer comes close to it in meaning; answers the rubric's author
labelled do. The direction is the examples' vectors weighted by how far each one's level is from their mean: answers to
the same question share their topic, which cancels, and what is left is what separates the levels. The calibration
places the direction's reading on the scale with examples it never saw: each question's examples are projected on the
direction the other questions' examples make, and that projection is regressed on the level, then inverted (regressing
the level on the projection instead would pull every new answer towards the middle level).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_HELD_OUT_CORRELATION = 0.3  # below it the examples do not separate their levels on questions left out


@dataclass(frozen=True)
class ExampleScale:
    """Reads a level (a float on the rubric's scale) off an answer's sentence vector."""

    direction: np.ndarray  # unit vector
    intercept: float  # projection at level 0, on questions left out
    slope: float  # projection per level, on questions left out
    held_out_correlation: float  # projection against level, each question's examples on the others' direction

    def level(self, vector: np.ndarray) -> float:
        return (float(vector @ self.direction) - self.intercept) / self.slope


def _direction(vectors: np.ndarray, levels: np.ndarray) -> np.ndarray | None:
    centred = levels - levels.mean()
    direction = (centred[:, None] * vectors).sum(axis=0)
    norm = float(np.linalg.norm(direction))
    return direction / norm if norm > 1e-9 else None


def build_scale(vectors: np.ndarray, levels: Sequence[int], groups: Sequence[str]) -> ExampleScale | None:
    """The scale the examples make (`groups`: the question each answers), or None when, on questions left out, they
    do not separate their own levels."""
    level_array = np.asarray(levels, dtype=float)
    group_array = np.asarray(list(groups))
    held_out = np.zeros(len(level_array))
    for group in dict.fromkeys(group_array.tolist()):
        inside = group_array != group
        if len(set(level_array[inside].tolist())) < 2:
            return None  # the other questions alone hold a single level: nothing to calibrate on
        direction = _direction(vectors[inside], level_array[inside])
        if direction is None:
            return None
        held_out[~inside] = vectors[~inside] @ direction
    if float(np.std(held_out)) < 1e-9:
        return None
    correlation = float(np.corrcoef(held_out, level_array)[0, 1])
    slope, intercept = np.polyfit(level_array, held_out, 1)
    direction = _direction(vectors, level_array)
    if direction is None or not correlation >= MIN_HELD_OUT_CORRELATION or slope <= 0:
        return None
    return ExampleScale(direction, float(intercept), float(slope), correlation)

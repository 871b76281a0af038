"""The fitted grading model: extra trees and a ridge line over answer features, averaged; a calibrated confidence."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from vetting.scoring.features import CONTEXT_FEATURES, FEATURE_NAMES

ARTIFACT_DIR = Path(__file__).resolve().parent / "artifacts"
ARTIFACT = ARTIFACT_DIR / "grader.joblib"
ARTIFACT_META = ARTIFACT_DIR / "grader.json"
CONFIDENCE_BAND = 0.2  # confidence = chance a human grade lies within a fifth of the scale of the prediction
GATE_THRESHOLD = 0.85  # the gate's probability above which an answer reads as made to only look right
GATE_TREES = 100
# The gate reads the answer's features only: the context ones are alike for a question's real and gamed answers, and
# trees splitting on them let a shuffled reference through (probability under the threshold, grade 0.99).
GATE_COLUMNS = np.array([i for i, name in enumerate(FEATURE_NAMES) if name not in CONTEXT_FEATURES])
LINEAR_WEIGHT = 0.5  # the ridge line's share of the grade (0.3 and 0.5 agreed alike on unseen Mohler assignments)


class ArtifactMissing(RuntimeError):
    """The shipped model file is absent or unreadable (a broken install, not a user error)."""


@dataclass
class GradingModel:
    """Predicts a 0-1 grade from answer features; its confidence is learned from held-out errors."""

    seed: int = 0
    n_trees: int = 120
    min_leaf: int = 5
    regressor: ExtraTreesRegressor | None = None
    linear: Pipeline | None = None  # a ridge line over standardised features: it extrapolates where trees flatten
    linear_weight: float = LINEAR_WEIGHT
    calibrator: LogisticRegression | None = None
    gate: ExtraTreesClassifier | None = None
    gate_threshold: float = GATE_THRESHOLD
    relevance_threshold: float = 0.1
    coverage_threshold: float = 0.35
    meta: dict[str, Any] = field(default_factory=dict)

    def _new_regressor(self) -> ExtraTreesRegressor:
        return ExtraTreesRegressor(
            n_estimators=self.n_trees,
            min_samples_leaf=self.min_leaf,
            max_features=0.33,
            random_state=self.seed,
            n_jobs=1,
        )

    def fit(
        self, x: np.ndarray, y: np.ndarray, groups: np.ndarray | None = None, *, calibrate: bool = True
    ) -> GradingModel:
        """Fit on features and 0-1 grades; with `groups`, also learn confidence from grouped out-of-fold errors."""
        if x.shape[1] != len(FEATURE_NAMES):
            raise ValueError(f"expected {len(FEATURE_NAMES)} features, got {x.shape[1]}")
        self.regressor = self._new_regressor().fit(x, y)
        self.linear = _new_linear().fit(x, y)
        self.calibrator = None
        if calibrate and groups is not None and len(set(groups.tolist())) >= 3:
            oof = np.zeros(len(y))
            spread = np.zeros(len(y))
            for train, test in GroupKFold(n_splits=min(5, len(set(groups.tolist())))).split(x, y, groups):
                trees, line = self._new_regressor().fit(x[train], y[train]), _new_linear().fit(x[train], y[train])
                mean, spread[test] = predict_with_spread(trees, x[test])
                oof[test] = self._blend(mean, line, x[test])
            within = (np.abs(oof - y) <= CONFIDENCE_BAND).astype(int)
            if 0 < within.sum() < len(within):
                self.calibrator = LogisticRegression().fit(_confidence_inputs(oof, spread), within)
        return self

    def fit_gate(self, real: np.ndarray, gamed: np.ndarray) -> GradingModel:
        """Learn to tell real answers (graded by people, or rewordings) from answers made to only look right."""
        x = np.vstack([real, gamed])[:, GATE_COLUMNS]
        y = np.concatenate([np.zeros(len(real)), np.ones(len(gamed))])
        self.gate = ExtraTreesClassifier(
            n_estimators=GATE_TREES, min_samples_leaf=1, max_features=0.33, random_state=self.seed, n_jobs=1
        ).fit(x, y)
        return self

    def looks_gamed(self, x: np.ndarray) -> np.ndarray:
        """Per feature row, whether the gate reads it as an answer that only looks right (False without a gate)."""
        gate = getattr(self, "gate", None)
        if gate is None or not len(x):
            return np.zeros(len(x), dtype=bool)
        return np.asarray(gate.predict_proba(np.asarray(x)[:, GATE_COLUMNS])[:, 1] > self.gate_threshold)

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(0-1 grades, confidences in 0-1) for feature rows `x`."""
        if self.regressor is None:
            raise ArtifactMissing("the grading model is not fitted")
        mean, spread = predict_with_spread(self.regressor, x)
        grade = self._blend(mean, getattr(self, "linear", None), x)
        if self.calibrator is None:
            confidence = np.clip(1.0 - 2.0 * spread, 0.0, 1.0)
        else:
            confidence = self.calibrator.predict_proba(_confidence_inputs(grade, spread))[:, 1]
        return grade, confidence

    def _blend(self, trees: np.ndarray, linear: Pipeline | None, x: np.ndarray) -> np.ndarray:
        """The trees' grade averaged with the ridge line's (trees alone in a model saved without one), in 0-1."""
        if linear is None:
            return np.clip(trees, 0.0, 1.0)
        scaler, ridge = linear[0], linear[-1]  # read directly, as the trees are: no input checks per call
        line = ((np.asarray(x, dtype=np.float64) - scaler.mean_) / scaler.scale_) @ ridge.coef_ + ridge.intercept_
        return np.clip((1.0 - self.linear_weight) * trees + self.linear_weight * line, 0.0, 1.0)

    def save(self, path: Path = ARTIFACT) -> None:
        """Write the compressed model and a readable JSON description beside it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.meta = {
            **self.meta,
            "features": list(FEATURE_NAMES),
            "relevance_threshold": self.relevance_threshold,
            "coverage_threshold": self.coverage_threshold,
            "gate_threshold": self.gate_threshold if getattr(self, "gate", None) is not None else None,
        }
        joblib.dump(self, path, compress=("xz", 9))
        path.with_suffix(".json").write_text(json.dumps(self.meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def predict_with_spread(model: ExtraTreesRegressor, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of the trees' predictions (the spread says how much the trees disagree).

    Each tree's own arrays are read directly: the input is checked once here, not once per tree (25x faster).
    """
    rows = np.ascontiguousarray(x, dtype=np.float32)
    per_tree = np.stack([tree.tree_.predict(rows).reshape(len(rows), -1)[:, 0] for tree in model.estimators_])
    return per_tree.mean(axis=0), per_tree.std(axis=0)


def _new_linear() -> Pipeline:
    return make_pipeline(StandardScaler(), Ridge(alpha=1.0))


def _confidence_inputs(grade: np.ndarray, spread: np.ndarray) -> np.ndarray:
    return np.column_stack([spread, grade, grade * (1 - grade)])


_loaded: dict[Path, GradingModel] = {}


def load_model(path: Path = ARTIFACT) -> GradingModel:
    """The shipped model, loaded once per process; it needs no training data to score."""
    if path not in _loaded:
        if not path.is_file():
            raise ArtifactMissing(
                f"The scoring model file {path.name} is missing; reinstall the package or retrain it."
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scikit-learn minor-version notices on unpickling
            model = joblib.load(path)
        if not isinstance(model, GradingModel) or model.meta.get("features") not in (None, list(FEATURE_NAMES)):
            raise ArtifactMissing(f"The scoring model file {path.name} does not match this version; retrain it.")
        _loaded[path] = model
    return _loaded[path]

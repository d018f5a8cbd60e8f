"""Loading and scoring of the exported linear model (plain Python).

The model file ``model.json.gz`` is written by ``emotion_training/train.py``:
``labels``, ``bias`` (floats), ``quant`` and ``weights`` mapping each kept
feature to one integer per label (weight * quant).  Integers keep the file and
the load small; the sum is divided once per message instead of per feature.
"""

import gzip
import hashlib
import json
import math
import os
import threading

MODEL_PATH = os.path.join(os.path.dirname(__file__), "model.json.gz")

_lock = threading.Lock()
_model = None


class LinearModel:
    """Immutable multinomial logistic regression over binary features."""

    __slots__ = ("labels", "bias", "quant", "weights", "meta")

    def __init__(self, data):
        self.labels = tuple(data["labels"])
        self.bias = tuple(data["bias"])
        self.quant = float(data["quant"])
        self.weights = data["weights"]
        self.meta = data.get("meta", {})

    def logits(self, feats):
        """Class scores for a feature set; features are L2-normalised (1/sqrt n).

        The normalisation counts all extracted features, also those pruned from
        the file, exactly as the trainer did, so short and long texts compare.
        """
        get = self.weights.get
        found = [w for w in map(get, feats) if w is not None]
        if not found:
            return list(self.bias)
        factor = 1.0 / (self.quant * math.sqrt(len(feats)))
        return [
            b + sum(col) * factor
            for b, col in zip(self.bias, zip(*found, strict=True), strict=True)
        ]


def load_model(path=MODEL_PATH):
    """Read a model file (gzip or plain JSON)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return LinearModel(json.load(fh))


def get_model():
    """The shared model, loaded once on first use (read-only afterwards)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = load_model()
    return _model


_fingerprint = None


def model_fingerprint(path=MODEL_PATH):
    """A short digest of the shipped model file: a layer learnt on top of one
    model (``adapt.py``) is not used with another."""
    global _fingerprint
    if path != MODEL_PATH:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()[:16]
    if _fingerprint is None:
        with open(MODEL_PATH, "rb") as fh:
            _fingerprint = hashlib.sha256(fh.read()).hexdigest()[:16]
    return _fingerprint


def softmax(scores):
    """Probabilities from logits, numerically stable."""
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]

"""A shop's adaptation of the shipped model, learnt from its agents' corrections.

Pure Python (standard library only), like the rest of ``lib/emotion``.

What it learns: a small correction layer *added* to the shipped model's scores,
never a new model.  Per label a bias, and per feature (the same word, bigram and
character n-gram features as the shipped model, see ``features.py``) one weight
per label, only for features seen in at least ``min_count`` of the shop's
examples, so one message is never memorised.  Trained by a few epochs of
stochastic gradient descent on the multinomial log-loss of
``shipped logits + layer``, with an L2 pull towards zero: with few corrections
the layer stays small and the shipped model decides.

The training set is what the agents said: every corrected entry (its text and
the label the agent chose) and, as anchors, entries the agents saw and left as
detected (with a smaller weight).  Anchors keep the layer from pushing every
message towards the corrected labels.

``train()`` also holds back every fifth example and reports the accuracy of the
shipped model and of the adapted one on it; the caller keeps the layer only when
it does better.  Deterministic: the same examples give the same layer.
"""

import math
import random
import time

from .detector import LABELS, scores
from .model import softmax

VERSION = 1
DEFAULTS = {
    "epochs": 8,
    "learning_rate": 0.5,
    "l2": 0.002,
    "min_count": 2,
    "anchor_weight": 0.3,
    "max_features": 20000,
    "holdout_every": 5,
}


class Adaptation:
    """Read-only correction layer: ``bias`` (per label) and sparse ``weights``
    (feature -> per-label list), in the order of ``labels``."""

    __slots__ = ("labels", "bias", "weights")

    def __init__(self, data):
        if data.get("version") != VERSION or tuple(data["labels"]) != LABELS:
            raise ValueError("incompatible emotion adaptation")
        self.labels = LABELS
        self.bias = tuple(float(b) for b in data["bias"])
        self.weights = {f: tuple(w) for f, w in data["weights"].items()}

    def apply(self, feats, logits):
        """Shipped logits plus this layer, features L2-normalised as the
        shipped model does."""
        out = [s + b for s, b in zip(logits, self.bias, strict=True)]
        if not feats:
            return out
        get = self.weights.get
        factor = 1.0 / math.sqrt(len(feats))
        for f in feats:
            w = get(f)
            if w is not None:
                for i, v in enumerate(w):
                    out[i] += v * factor
        return out

    def to_dict(self):
        return {
            "version": VERSION,
            "labels": list(self.labels),
            "bias": list(self.bias),
            "weights": {f: list(w) for f, w in self.weights.items()},
        }


def _prepare(examples):
    """(features, shipped logits, label index, weight) of each usable example."""
    index = {label: i for i, label in enumerate(LABELS)}
    prepared = []
    for text, label, weight in examples:
        if label not in index:
            continue
        scored = scores(text)
        if scored is None:
            continue
        feats, logits = scored[2], scored[3]
        prepared.append((tuple(sorted(set(feats))), logits, index[label], weight))
    return prepared


def _accuracy(rows, layer):
    if not rows:
        return None
    good = 0
    for feats, logits, gold, _weight in rows:
        out = layer.apply(feats, logits) if layer else logits
        good += max(range(len(out)), key=out.__getitem__) == gold
    return good / len(rows)


def train(corrections, anchors=(), *, time_budget=None, **options):
    """Learn a layer from ``corrections`` and ``anchors`` (iterables of
    ``(text, label)``: what an agent set, what an agent left as detected).

    Returns ``(adaptation or None, report)``; ``report`` has the example
    counts and the held-back accuracy of the shipped and the adapted model
    (``base_accuracy``, ``adapted_accuracy``, on held-back corrections only:
    the messages the shipped model got wrong for this shop).
    ``time_budget`` (seconds): stop the epochs when it is spent (then the
    result also depends on the machine's speed; the report says so).
    """
    opts = {**DEFAULTS, **options}
    examples = [(t, lab, 1.0) for t, lab in corrections]
    examples += [(t, lab, opts["anchor_weight"]) for t, lab in anchors]
    rows = _prepare(examples)
    every = opts["holdout_every"]
    held = [r for i, r in enumerate(rows) if every and i % every == every - 1]
    learn = [r for i, r in enumerate(rows) if not (every and i % every == every - 1)]
    report = {
        "examples": len(rows),
        "corrections": sum(1 for r in rows if r[3] == 1.0),
        "held_out": len(held),
        "stopped_by_time": False,
    }
    counts = {}
    for feats, _logits, _gold, _weight in learn:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    kept = sorted(
        (f for f, c in counts.items() if c >= opts["min_count"]),
        key=lambda f: (-counts[f], f),
    )[: opts["max_features"]]
    kept = set(kept)
    n = len(LABELS)
    bias = [0.0] * n
    weights = {}
    rng = random.Random(len(learn))
    order = list(range(len(learn)))
    started = time.monotonic()
    lr0, l2 = opts["learning_rate"], opts["l2"]
    for epoch in range(opts["epochs"]):
        if time_budget is not None and time.monotonic() - started > time_budget:
            report["stopped_by_time"] = True
            break
        rng.shuffle(order)
        lr = lr0 / (1.0 + epoch)
        for i in order:
            feats, logits, gold, weight = learn[i]
            used = [f for f in feats if f in kept]
            factor = 1.0 / math.sqrt(len(feats)) if feats else 0.0
            out = [s + b for s, b in zip(logits, bias, strict=True)]
            for f in used:
                w = weights.get(f)
                if w:
                    for k in range(n):
                        out[k] += w[k] * factor
            probs = softmax(out)
            grad = [p * weight for p in probs]
            grad[gold] -= weight
            for k in range(n):
                bias[k] -= lr * (grad[k] + l2 * bias[k])
            for f in used:
                w = weights.setdefault(f, [0.0] * n)
                for k in range(n):
                    w[k] -= lr * (grad[k] * factor + l2 * w[k])
    layer = Adaptation(
        {
            "version": VERSION,
            "labels": list(LABELS),
            "bias": [round(b, 5) for b in bias],
            "weights": {
                f: [round(v, 5) for v in w]
                for f, w in sorted(weights.items())
                if any(abs(v) >= 1e-4 for v in w)
            },
        }
    )
    held_corrections = [r for r in held if r[3] == 1.0]
    report["base_accuracy"] = _accuracy(held_corrections, None)
    report["adapted_accuracy"] = _accuracy(held_corrections, layer)
    report["base_accuracy_all"] = _accuracy(held, None)
    report["adapted_accuracy_all"] = _accuracy(held, layer)
    report["features"] = len(layer.weights)
    return layer, report


def improves(report):
    """Keep a layer only when, on held-back examples, it fixes more of the
    shop's corrections than the shipped model and does not do worse overall
    (anchors included)."""
    base, adapted = report.get("base_accuracy"), report.get("adapted_accuracy")
    base_all = report.get("base_accuracy_all")
    adapted_all = report.get("adapted_accuracy_all")
    if base is None or adapted is None:
        return False
    return adapted > base and (adapted_all or 0.0) >= (base_all or 0.0)

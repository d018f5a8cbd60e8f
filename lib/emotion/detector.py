"""``detect()``: the model's probabilities combined with the lexicon rules.

The linear model decides the label in most cases; the rule layer adds a small,
hand-set bonus for evidence that must not be lost on out-of-domain phrasing
(escalation threats, emoji, explicit emotion words) and computes the intensity,
which the training data does not label.
"""

from .features import extract
from .lexicon import EMOJI_LABEL, lexicon_hits
from .model import get_model, softmax
from .normalize import analyze, detect_language
from .textclean import strip_quotes_and_signature

LABELS = ("angry", "disappointed", "worried", "neutral", "satisfied", "delighted")

# Logit bonuses of the rule layer (per hit, hits capped at 2).
LEXICON_BONUS = 0.35
EMOJI_BONUS = 0.6
ESCALATION_BONUS = 1.3
# "không hài lòng", "not happy": the positive words still fire their n-grams,
# so the negation has to be outweighed explicitly.
NEGATED_POSITIVE_BONUS = 0.8
# Ironic praise next to a complaint event ("Hay lắm, lần thứ 4 giao nhầm size"):
# the praise words fire their positive n-grams, so the irony cue moves the same
# amount from the positive labels to ``angry``.
IRONY_BONUS = 0.8

# Intensity before modifiers: how strong the label is by itself.
_BASE_INTENSITY = {
    "angry": 3,
    "disappointed": 2,
    "worried": 2,
    "neutral": 1,
    "satisfied": 2,
    "delighted": 3,
}
_NEGATIVE = frozenset(("angry", "disappointed", "worried"))


def _empty():
    return {"label": "neutral", "intensity": 1, "confidence": 0.1, "language": "und"}


def _rule_bonus(labels, hits, emoji):
    """Per-label logit bonus from lexicon hits, emoji, escalation and irony."""
    bonus = dict.fromkeys(labels, 0.0)
    for label in labels:
        count = hits.get(label)
        if count:
            bonus[label] += LEXICON_BONUS * min(count, 2)
    emo_counts = {}
    for tok in emoji:
        label = EMOJI_LABEL[tok]
        emo_counts[label] = emo_counts.get(label, 0) + 1
    for label, count in emo_counts.items():
        bonus[label] += EMOJI_BONUS * min(count, 2)
    esc = hits.get("escalation", 0)
    if esc:
        bonus["angry"] += ESCALATION_BONUS * min(esc, 2)
    if hits.get("irony"):
        bonus["angry"] += IRONY_BONUS
        bonus["satisfied"] -= IRONY_BONUS
        bonus["delighted"] -= IRONY_BONUS
    negated = min(hits.get("negated_positive", 0), 2)
    if negated:
        bonus["disappointed"] += NEGATED_POSITIVE_BONUS * negated
        bonus["satisfied"] -= NEGATED_POSITIVE_BONUS * negated
        bonus["delighted"] -= NEGATED_POSITIVE_BONUS * negated
    return bonus


def _intensity(label, a, hits):
    """1..5: label base + intensifiers, !!!, CAPS, elongation, escalation, emoji."""
    esc = hits.get("escalation", 0)
    if label == "neutral":
        return 2 if esc else 1
    score = _BASE_INTENSITY[label]
    score += min(hits.get("intensifier", 0), 2)
    score += 1 if hits.get("strong") else 0
    if a.exclaims >= 2:
        score += 1
    if a.shout >= 2:
        score += 1
    if a.elongated:
        score += 1
    if len(a.emoji) >= 2:
        score += 1
    if label in _NEGATIVE and esc:
        score += min(esc, 2)
    if hits.get("hedge"):
        score -= 1
    return max(1, min(5, score))


def analyze_text(text):
    """Clean, normalise and run the lexicon; shared by detect() and debugging."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    body = strip_quotes_and_signature(text)
    a = analyze(body)
    return a, lexicon_hits(a)


def scores(text):
    """``(analysis, hits, features, logits)`` of a text, or ``None`` when it has
    no words: the shipped model plus the rule layer, before any shop's
    adaptation. Shared by :func:`detect` and the adaptation trainer."""
    if not text or not str(text).strip():
        return None
    a, hits = analyze_text(text)
    if not a.tokens:
        return None
    model = get_model()
    feats = extract(a, hits)
    logits = model.logits(feats)
    bonus = _rule_bonus(model.labels, hits, a.emoji)
    logits = [s + bonus[label] for s, label in zip(logits, model.labels, strict=True)]
    return a, hits, feats, logits


def detect(text, adaptation=None):
    """Emotion of a customer message.

    Returns ``{"label", "intensity" (1..5), "confidence" (0..1), "language"}``
    with label one of ``angry, disappointed, worried, neutral, satisfied,
    delighted``.  Accepts plain text or HTML; quoted replies and signatures are
    ignored.  ``adaptation``: a shop's :class:`~.adapt.Adaptation` learnt from
    its agents' corrections, added to the shipped model's scores.  Pure
    function of its arguments: safe to call from any thread.
    """
    scored = scores(text)
    if scored is None:
        return _empty()
    a, hits, feats, logits = scored
    if adaptation is not None:
        logits = adaptation.apply(feats, logits)
    probs = softmax(logits)
    best = max(range(len(probs)), key=probs.__getitem__)
    label = get_model().labels[best]
    return {
        "label": label,
        "intensity": _intensity(label, a, hits),
        "confidence": round(probs[best], 3),
        "language": detect_language(a),
    }

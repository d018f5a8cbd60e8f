"""Build-time trainer of the emotion model (numpy/scipy/scikit-learn, pinned in
``emotion_training/requirements.txt``, allowed here only).

Rebuilds ``lib/emotion/model.json.gz`` deterministically (same file, byte for byte,
with the pinned versions) from

* our corpus ``emotion_training/corpus/*.tsv`` (``corpus.py``): messages written one
  by one, in many businesses and the forms customers use. Whole writing sessions are
  held out for testing (one file in five of each writer), so no test row shares a
  session with a training row; accent-stripped and teencode copies of the Vietnamese
  training rows are added;
* the earlier template-rendered corpus ``corpus_vi.tsv`` (training only, half weight);
* GoEmotions (English, Apache-2.0), read from ``--goemotions`` at build time and never
  copied into the repository.

It never reads ``emotion_training/eval/`` except to score the exported model on it.
Features are produced by ``lib.emotion.features`` — the same code the runtime uses —
and the evaluation calls the real ``detect()`` on the exported file, so the printed
scores are those of what ships (model + rule layer).

Usage: python3 emotion_training/train.py [--goemotions DIR] [--out PATH]
"""

import argparse
import collections
import gzip
import json
import math
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)

import corpus as our_corpus  # noqa: E402
import numpy as np  # noqa: E402
from build_corpus import teencode, unescape  # noqa: E402
from scipy.sparse import csr_matrix  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import (  # noqa: E402
    classification_report,
    confusion_matrix,
    f1_score,
)

from lib.emotion import detector, model  # noqa: E402
from lib.emotion.detector import LABELS, analyze_text  # noqa: E402
from lib.emotion.features import extract  # noqa: E402
from lib.emotion.normalize import has_vi_diacritics, strip_accents  # noqa: E402

dedupe_key = our_corpus.dedupe_key

SEED = 1234
TEST_SHARE = 0.2
GOEMO_CAP = 2500  # max GoEmotions training rows per class (majority subsampling)
GOEMO_WEIGHT = 0.5  # our Vietnamese data matters more than Reddit comments
LEGACY_WEIGHT = 0.5  # template renderings: many near-duplicates per template
C = 8.0
QUANT = 1000
MIN_DF = 2
MIN_ABS_WEIGHT = 0.05

# GoEmotions (27 emotions + neutral) -> our six labels.  None = dropped
# (surprise and desire can be positive or negative; confusion is mostly a
# neutral question on Reddit but anxious in customer care, so too ambiguous).
GOEMO_MAP = {
    "anger": "angry",
    "annoyance": "angry",
    "disgust": "angry",
    "disappointment": "disappointed",
    "sadness": "disappointed",
    "disapproval": "disappointed",
    "grief": "disappointed",
    "remorse": "disappointed",
    "embarrassment": "disappointed",
    "fear": "worried",
    "nervousness": "worried",
    "confusion": None,
    "approval": "satisfied",
    "gratitude": "satisfied",
    "relief": "satisfied",
    "caring": "satisfied",
    "optimism": "satisfied",
    "joy": "delighted",
    "excitement": "delighted",
    "love": "delighted",
    "admiration": "delighted",
    "amusement": "delighted",
    "pride": "delighted",
    "neutral": "neutral",
    "realization": "neutral",
    "curiosity": "neutral",
    "surprise": None,
    "desire": None,
}


def read_corpus(path):
    rows = []
    with open(path, encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            text, label, channel, style, group = line.rstrip("\n").split("\t")
            rows.append((unescape(text), label, channel, style, group))
    return rows


def split_by_group(rows, rng):
    """Stratified group split: TEST_SHARE of the groups of each (label, kind)."""
    strata = collections.defaultdict(set)
    for row in rows:
        group = row[4]
        strata[group.rsplit("-", 1)[0]].add(group)
    test_groups = set()
    for key in sorted(strata):
        groups = sorted(strata[key])
        rng.shuffle(groups)
        test_groups.update(groups[: max(1, round(len(groups) * TEST_SHARE))])
    train = [r for r in rows if r[4] not in test_groups]
    test = [r for r in rows if r[4] in test_groups]
    return train, test


def read_goemotions(directory, split):
    """Rows (text, our label) of a GoEmotions split; conflicting rows dropped."""
    with open(os.path.join(directory, "labels.txt"), encoding="utf-8") as fh:
        names = [line.strip() for line in fh if line.strip()]
    out = []
    with open(os.path.join(directory, f"{split}.tsv"), encoding="utf-8") as fh:
        for line in fh:
            text, ids, _cid = line.rstrip("\n").split("\t")
            mapped = {GOEMO_MAP[names[int(i)]] for i in ids.split(",")}
            if len(mapped) != 1 or None in mapped:
                continue
            text = text.replace("[NAME]", "Alex").replace("[RELIGION]", "religion")
            out.append((text, mapped.pop()))
    return out


def augment_vi(rows, rng):
    """Training rows + accent-stripped and teencode copies of Vietnamese text.

    ``rows`` are (text, label, style)."""
    out = []
    for text, label, style in rows:
        out.append((text, label, 1.0))
        if style == "english":
            continue
        if has_vi_diacritics(text):
            out.append((strip_accents(text), label, 1.0))
        if style in ("accented", "unaccented") and rng.random() < 0.5:
            out.append((teencode(text, rng), label, 1.0))
    return out


def featurize(texts):
    feats = []
    for text in texts:
        a, hits = analyze_text(text)
        feats.append(extract(a, hits))
    return feats


def build_matrix(feat_sets, vocab):
    indptr, indices, values = [0], [], []
    for feats in feat_sets:
        value = 1.0 / math.sqrt(len(feats)) if feats else 0.0
        cols = sorted(vocab[f] for f in feats if f in vocab)
        indices.extend(cols)
        values.extend([value] * len(cols))
        indptr.append(len(indices))
    return csr_matrix(
        (np.array(values), np.array(indices), np.array(indptr)),
        shape=(len(feat_sets), len(vocab)),
    )


def balanced_weights(labels, base):
    """Per-class balancing inside one source, times the source weight."""
    counts = collections.Counter(labels)
    k = len(counts)
    total = len(labels)
    return [base * total / (k * counts[y]) for y in labels]


def export(clf, vocab, path, meta):
    """Write the pruned, integer-quantised model (deterministic gzip)."""
    order = [list(clf.classes_).index(label) for label in LABELS]
    coef = clf.coef_[order]
    inv = sorted(vocab.items(), key=lambda kv: kv[1])
    weights = {}
    for feat, j in inv:
        col = coef[:, j]
        if np.abs(col).max() < MIN_ABS_WEIGHT:
            continue
        ints = [int(round(float(w) * QUANT)) for w in col]
        if any(ints):
            weights[feat] = ints
    data = {
        "labels": list(LABELS),
        "bias": [round(float(b), 4) for b in clf.intercept_[order]],
        "quant": QUANT,
        "meta": dict(meta, n_features=len(weights)),
        "weights": weights,
    }
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with open(path, "wb") as fh:
        with gzip.GzipFile(
            filename="", fileobj=fh, mode="wb", mtime=0, compresslevel=9
        ) as gz:
            gz.write(raw.encode("utf-8"))
    return len(weights)


def report(title, gold, pred, matrix=False):
    macro = f1_score(gold, pred, labels=list(LABELS), average="macro", zero_division=0)
    print(f"\n=== {title}: n={len(gold)}  macro-F1={macro:.3f}")
    print(
        classification_report(
            gold, pred, labels=list(LABELS), digits=3, zero_division=0
        )
    )
    if matrix:
        print("confusion matrix (rows: gold, columns: predicted)")
        print("             " + " ".join(f"{y[:6]:>6}" for y in LABELS))
        for label, line in zip(
            LABELS, confusion_matrix(gold, pred, labels=list(LABELS)), strict=True
        ):
            print(f"{label:>12} " + " ".join(f"{n:6d}" for n in line))
    return macro


def by_channel_and_style(rows, pred):
    counts = collections.defaultdict(lambda: [0, 0])
    for row, p in zip(rows, pred, strict=True):
        for key in (row.channel, row.style):
            counts[key][0] += p == row.label
            counts[key][1] += 1
    print(
        "accuracy by channel/style:",
        ", ".join(f"{k} {c / n:.2f} (n={n})" for k, (c, n) in sorted(counts.items())),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--goemotions",
        default=os.path.join(ROOT, "..", "shared", "data", "goemotions"),
        help="directory with GoEmotions train/dev/test.tsv and labels.txt",
    )
    parser.add_argument("--legacy-corpus", default=os.path.join(HERE, "corpus_vi.tsv"))
    parser.add_argument("--out", default=model.MODEL_PATH)
    parser.add_argument("--goemo-test-sample", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(SEED)
    t0 = time.time()

    problems, seen = [], {}
    out_of_style = our_corpus.read_out_of_style(problems=problems, seen=seen)
    rows = our_corpus.read_corpus(problems=problems, seen=seen)
    if problems:
        sys.exit(
            "corpus problems (python3 emotion_training/corpus.py):\n"
            + "\n".join(problems[:20])
        )
    train_rows, test_rows = our_corpus.split(rows)
    vi_rows = augment_vi([(r.text, r.label, r.style) for r in train_rows], rng)
    legacy = [
        (text, label, style)
        for text, label, _channel, style, _group in read_corpus(args.legacy_corpus)
        if dedupe_key(text) not in seen
    ]
    legacy_rows = augment_vi(legacy, rng)
    print(
        f"corpus: {len(rows)} rows, train {len(train_rows)} "
        f"(+copies = {len(vi_rows)}), "
        f"test {len(test_rows)} ({len({r.source for r in test_rows})} sessions); "
        f"legacy template corpus {len(legacy)} (+copies = {len(legacy_rows)}); "
        f"out-of-style {len(out_of_style)}"
    )

    goemo = read_goemotions(args.goemotions, "train")
    by_label = collections.defaultdict(list)
    for text, label in goemo:
        by_label[label].append(text)
    ge_rows = []
    for label in LABELS:
        texts = by_label[label]
        rng.shuffle(texts)
        ge_rows.extend((t, label) for t in texts[:GOEMO_CAP])
    print(
        "GoEmotions train rows used:", dict(collections.Counter(y for _, y in ge_rows))
    )

    texts = [t for t, _, _ in vi_rows + legacy_rows] + [t for t, _ in ge_rows]
    labels = [y for _, y, _ in vi_rows + legacy_rows] + [y for _, y in ge_rows]
    weights = (
        balanced_weights([y for _, y, _ in vi_rows], 1.0)
        + balanced_weights([y for _, y, _ in legacy_rows], LEGACY_WEIGHT)
        + balanced_weights([y for _, y in ge_rows], GOEMO_WEIGHT)
    )
    feat_sets = featurize(texts)
    df = collections.Counter(f for feats in feat_sets for f in feats)
    vocab = {
        f: i for i, f in enumerate(sorted(f for f, c in df.items() if c >= MIN_DF))
    }
    X = build_matrix(feat_sets, vocab)
    print(
        f"features: {len(vocab)} (df>={MIN_DF}), matrix {X.shape}, "
        f"featurised in {time.time() - t0:.1f}s"
    )

    clf = LogisticRegression(C=C, max_iter=3000, random_state=SEED)
    clf.fit(X, labels, sample_weight=np.array(weights))
    meta = {
        "seed": SEED,
        "C": C,
        "train_rows_corpus": len(vi_rows),
        "train_rows_legacy": len(legacy_rows),
        "train_rows_goemotions": len(ge_rows),
        "goemotions_map": {k: v for k, v in GOEMO_MAP.items() if v},
    }
    kept = export(clf, vocab, args.out, meta)
    size = os.path.getsize(args.out)
    print(f"model: {kept} features kept, {size / 1024:.0f} KiB -> {args.out}")

    # Evaluate the exported file through the real detect() (load_model's default
    # path is bound at import, so the file is loaded explicitly).
    model._model = model.load_model(args.out)
    detect = detector.detect

    pred = [detect(r.text)["label"] for r in test_rows]
    macro_vi = report(
        "corpus, held-out sessions", [r.label for r in test_rows], pred, matrix=True
    )
    by_channel_and_style(test_rows, pred)
    macro_oos = None
    if out_of_style:
        pred = [detect(r.text)["label"] for r in out_of_style]
        macro_oos = report(
            "out-of-style set (eval/)",
            [r.label for r in out_of_style],
            pred,
            matrix=True,
        )
        by_channel_and_style(out_of_style, pred)

    ge_test = read_goemotions(args.goemotions, "test")
    rng.shuffle(ge_test)
    ge_test = ge_test[: args.goemo_test_sample]
    report(
        "GoEmotions test sample (mapped)",
        [y for _, y in ge_test],
        [detect(t)["label"] for t, _ in ge_test],
    )
    oos = f"{macro_oos:.3f}" if macro_oos is not None else "-"
    print(
        f"\nmacro-F1: held-out sessions {macro_vi:.3f}, out-of-style {oos}; "
        f"total {time.time() - t0:.0f}s"
    )


if __name__ == "__main__":
    main()

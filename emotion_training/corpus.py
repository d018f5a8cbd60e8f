"""Our hand-written emotion corpus: read, check, split (no numpy here).

The corpus lives in ``emotion_training/corpus/<writer>_<NNN>.tsv``: UTF-8, no header,
one message a line, five tab-separated columns

    text  label  intensity  channel  style

``text`` keeps line breaks as the two characters ``\\n``. Each file is one writing
session of one writer (a ``source``); ``<writer>`` names the share of businesses it
covers (elec: electronics and telecom, fash: fashion, marketplaces and food delivery,
bank: banking, e-wallets, insurance and utilities, trav: airlines, travel, hotels,
ride-hailing and real estate, serv: education, health, logistics and vehicles).

``emotion_training/eval/out_of_style_*.tsv`` has the same columns: messages written
apart, in forms and businesses the corpus under-represents (voice transcripts, formal
letters, livestream comments, slang, dialects, unusual businesses). It is never
trained on.

``emotion_training/agreement.tsv`` holds 1,200 corpus messages drawn at random (seed
2026) with the writer's label and the label of a second, independent annotator who saw
only the text and LABELLING.md; ``agreement()`` computes Cohen's kappa.

Run ``python3 emotion_training/corpus.py`` to check every file and print the counts
and the agreement.
"""

import collections
import glob
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS_DIR = os.path.join(HERE, "corpus")
EVAL_DIR = os.path.join(HERE, "eval")

LABELS = ("angry", "disappointed", "worried", "neutral", "satisfied", "delighted")
CHANNELS = ("social", "review", "chat", "email", "portal", "call", "voice")
STYLES = ("accented", "unaccented", "teencode", "english", "mixed")
# One file in TEST_EVERY of each writer is held out for testing (whole sessions,
# so no test row shares a session, or a template, with a training row).
TEST_EVERY = 5

_VI_MARKS = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]",
    re.IGNORECASE,
)


class Row(collections.namedtuple("Row", "text label intensity channel style source")):
    __slots__ = ()


def unescape(text):
    return text.replace("\\n", "\n")


def dedupe_key(text):
    """Texts equal but for case, spacing and punctuation at the ends are one text."""
    text = unicodedata.normalize("NFC", text).casefold()
    return re.sub(r"\s+", " ", text).strip(" .!?~")


def _check(row, where, problems):
    if row.label not in LABELS:
        problems.append(f"{where}: label {row.label!r}")
    if row.channel not in CHANNELS:
        problems.append(f"{where}: channel {row.channel!r}")
    if row.style not in STYLES:
        problems.append(f"{where}: style {row.style!r}")
    if not 1 <= row.intensity <= 5:
        problems.append(f"{where}: intensity {row.intensity}")
    if not row.text.strip():
        problems.append(f"{where}: empty text")


def _fix_style(text, style):
    """Writers' accented/unaccented tags follow the text's diacritics."""
    if style == "accented" and not _VI_MARKS.search(text):
        return "unaccented"
    if style == "unaccented" and _VI_MARKS.search(text):
        return "accented"
    return style


def read_files(paths, problems=None, seen=None):
    """Rows of the given files; duplicates (``dedupe_key``) after the first dropped."""
    problems = [] if problems is None else problems
    seen = {} if seen is None else seen
    rows = []
    for path in sorted(paths):
        source = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.rstrip("\n")
                if not line.strip():
                    continue
                parts = line.split("\t")
                where = f"{os.path.basename(path)}:{lineno}"
                if len(parts) != 5:
                    problems.append(f"{where}: {len(parts)} columns")
                    continue
                text, label, intensity, channel, style = (p.strip() for p in parts)
                try:
                    level = int(intensity)
                except ValueError:
                    problems.append(f"{where}: intensity {intensity!r}")
                    continue
                if label == "neutral":
                    level = 1
                row = Row(
                    unescape(text),
                    label,
                    level,
                    channel,
                    _fix_style(text, style),
                    source,
                )
                _check(row, where, problems)
                key = dedupe_key(row.text)
                if key in seen:
                    continue
                seen[key] = where
                rows.append(row)
    return rows


def read_corpus(directory=CORPUS_DIR, problems=None, seen=None):
    return read_files(glob.glob(os.path.join(directory, "*.tsv")), problems, seen)


def read_out_of_style(directory=EVAL_DIR, problems=None, seen=None):
    return read_files(
        glob.glob(os.path.join(directory, "out_of_style_*.tsv")), problems, seen
    )


def is_test_source(source):
    """Every TEST_EVERY-th session of each writer (elec_005, elec_010, …)."""
    number = source.rsplit("_", 1)[-1]
    return number.isdigit() and int(number) % TEST_EVERY == 0


def split(rows):
    train = [r for r in rows if not is_test_source(r.source)]
    test = [r for r in rows if is_test_source(r.source)]
    return train, test


AGREEMENT_PATH = os.path.join(HERE, "agreement.tsv")


def agreement(path=AGREEMENT_PATH):
    """(n, observed agreement, Cohen's kappa) of the two labelling passes."""
    pairs = []
    with open(path, encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            _text, first, second, _source = line.rstrip("\n").split("\t")
            pairs.append((first, second))
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first = collections.Counter(a for a, _ in pairs)
    second = collections.Counter(b for _, b in pairs)
    expected = sum(first[y] * second[y] for y in LABELS) / (n * n)
    return n, observed, (observed - expected) / (1 - expected)


def summary(rows):
    out = {}
    for field in ("label", "channel", "style"):
        out[field] = collections.Counter(getattr(r, field) for r in rows)
    out["writer"] = collections.Counter(r.source.rsplit("_", 1)[0] for r in rows)
    return out


def main():
    problems = []
    seen = {}
    # The evaluation set first: a corpus row equal to an evaluation row is dropped
    # from the corpus, never the other way round.
    evaluation = read_out_of_style(problems=problems, seen=seen)
    corpus = read_corpus(problems=problems, seen=seen)
    train, test = split(corpus)
    for name, rows in (
        ("corpus", corpus),
        ("train", train),
        ("test", test),
        ("out-of-style", evaluation),
    ):
        print(f"{name}: {len(rows)} rows")
        for field, counts in summary(rows).items():
            print(
                f"  {field}: "
                + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            )
    vi = sum(r.style not in ("english",) for r in corpus)
    print(f"Vietnamese or mixed: {vi}, English: {len(corpus) - vi}")
    n, observed, kappa = agreement()
    print(
        f"two labelling passes: n={n}, agreement {observed:.3f}, "
        f"Cohen's kappa {kappa:.3f}"
    )
    for problem in problems[:50]:
        print("PROBLEM", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Feature extraction shared by the build-time trainer and the runtime scorer.

Using the very same function in both places is what keeps the exported weights
meaningful.  Features (all binary) on the accent-stripped, normalised tokens:

* word unigrams and bigrams;
* ``!word`` for the two words after a negation ("không hài lòng" ->
  ``!hai``, ``!long``), so the model can learn negated meanings;
* ``#xyz`` character 3- and 4-grams inside `` word `` (spaces mark the word
  edges), which generalise to unseen spellings, typos and word forms;
* ``@category`` lexicon hits and ``@!``/``@?``/``@caps``/``@elong`` style cues.

Character n-grams are built once per distinct word, which bounds the cost on
long e-mails that repeat words.
"""

from .lexicon import lexicon_hits
from .normalize import EMO_TOKENS, analyze

NEGATORS = frozenset("khong chang cha chua not no never nothing without hardly".split())
_CHAR_SIZES = (3, 4)
# Memo of word -> its character n-grams.  A pure function of the word (not
# request state); bounded, and simply emptied when full.
_GRAMS = {}
_GRAMS_MAX = 50000


def char_grams(tok):
    """``#``-prefixed character 3/4-grams of `` tok `` (none for emoji tokens)."""
    if tok in EMO_TOKENS:
        return ()
    w = " " + tok + " "
    n = len(w)
    return tuple(
        {"#" + w[i : i + size] for size in _CHAR_SIZES for i in range(n - size + 1)}
    )


def extract(a, hits):
    """Feature set of an :class:`Analysis` and its lexicon ``hits``."""
    tokens = a.tokens
    feats = set(tokens)
    prev = None
    neg_left = 0
    for tok in tokens:
        if prev is not None:
            feats.add(prev + " " + tok)
        if neg_left:
            feats.add("!" + tok)
            neg_left -= 1
        if tok in NEGATORS:
            neg_left = 2
        prev = tok
    cache = _GRAMS
    for tok in set(tokens):
        grams = cache.get(tok)
        if grams is None:
            grams = char_grams(tok)
            if len(cache) >= _GRAMS_MAX:
                cache.clear()
            cache[tok] = grams
        feats.update(grams)
    for category in hits:
        feats.add("@" + category)
    if a.exclaims:
        feats.add("@!")
        if a.exclaims >= 3:
            feats.add("@!!!")
    if a.questions:
        feats.add("@?")
    if a.shout >= 2:
        feats.add("@caps")
    if a.elongated:
        feats.add("@elong")
    return feats


def featurize(text):
    """Convenience for training: analysis, lexicon hits and features of a text."""
    a = analyze(text)
    hits = lexicon_hits(a)
    return a, hits, extract(a, hits)

"""Which pairs of answers to one question are unusually alike, against the rest of the cohort.

For one question, each answer is a set of fingerprints (``fingerprint``) less the template's.
An answer with fewer than ``MIN_FINGERPRINTS`` left is too short to tell (a one-line formula
every correct student writes) and is not compared. Of the rest:

* A fingerprint found in more than ``COMMON_FRACTION`` of the answers (and in more than
  ``MIN_COMMON`` of them) is the way everybody writes it, and is dropped as the template is
  (MOSS's ``-m``). Every other fingerprint weighs ``log(n / df)`` (``n`` answers, ``df`` of them
  with it): sharing what only two answers have says more than sharing what a quarter have.
* A pair's ``score`` is the weight it shares over the weight of the smaller answer, from 0 to 1
  (added dead code in one copy does not lower it).
* The cohort is every pair of answers; pairs that share no fingerprint score 0 and are counted,
  never listed, so the work is the pairs that share something, not all ``n * (n - 1) / 2``.
  ``above`` is ``(score - mean) / sd`` over the cohort's pairs, the top percent of them left out
  (the copies must not hide themselves by widening the spread), ``sd`` at least ``SD_FLOOR``.
* A pair is flagged when ``score >= MIN_SCORE`` and ``above >= MIN_ABOVE``: alike, and alike as
  few pairs of the class are.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from deepgrade.similar.fingerprint import Fingerprints

MIN_FINGERPRINTS = 8  # fewer left after the template: too short to tell
MIN_COHORT = 5  # fewer answers compared: no cohort to stand out from
COMMON_FRACTION, MIN_COMMON = 0.1, 3
MIN_SCORE, MIN_ABOVE = 0.5, 3.0
SD_FLOOR = 0.05
TRIMMED = 0.01  # the top 1 % of pairs (at least one) are left out of the cohort's figures


@dataclass(frozen=True)
class Pair:
    """Two answers to one question (``a`` before ``b`` in key order)."""

    question: str
    a: str
    b: str
    score: float  # shared weight / the smaller answer's weight, 0..1
    above: float  # how many of the cohort's standard deviations above its mean


@dataclass
class Cohort:
    """One question compared across the batch."""

    question: str
    kind: str  # "code" or "text"
    compared: list[str]  # submission keys whose answers were compared
    too_short: list[str]  # answered, but too little left after the template to tell
    unanswered: int  # submissions with no answer to it (or only the template's)
    mean: float = 0.0
    sd: float = 0.0
    pairs: int = 0  # every pair of compared answers
    ranked: list[Pair] = field(default_factory=list)  # pairs sharing anything, most alike first
    common: set[int] = field(default_factory=set)  # fingerprints everybody writes
    answers: dict[str, Fingerprints] = field(default_factory=dict, repr=False)

    @property
    def flagged(self) -> list[Pair]:
        """The pairs the report shows, most alike first (none without a cohort)."""
        if len(self.compared) < MIN_COHORT:
            return []
        return [p for p in self.ranked if p.score >= MIN_SCORE and p.above >= MIN_ABOVE]

    @property
    def note(self) -> str:
        """What this question's figures cannot tell, for the report ("" when nothing)."""
        notes = []
        if not self.compared and not self.too_short:
            return "no submission answered it beyond the template"
        if len(self.compared) < MIN_COHORT:
            notes.append(f"only {len(self.compared)} answer(s) long enough to compare: no "
                         "cohort to stand out from, nothing flagged")
        if self.too_short:
            notes.append(f"{len(self.too_short)} answer(s) too short to tell apart from what "
                         "every correct answer writes")
        usual = sum(1 for fp in self.answers.values() if not set(fp.spans) - self.common)
        if usual and len(self.compared) >= MIN_COHORT:
            notes.append(f"{usual} answer(s) hold only code more than a tenth of the class "
                         "wrote: nothing of their own to compare")
        return "; ".join(notes)

    def shared_spans(self, pair: Pair) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The character spans of each side that the pair's score counts (matched regions),
        merged where they overlap."""
        a, b = self.answers[pair.a], self.answers[pair.b]
        shared = (a.spans.keys() & b.spans.keys()) - self.common
        return merge_spans(a.characters(shared)), merge_spans(b.characters(shared))


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with the overlapping and touching ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def compare(question: str, kind: str, answers: dict[str, Fingerprints], template: set[int],
            unanswered: int = 0) -> Cohort:
    """The cohort of one question: ``answers`` maps a submission key to its answer's
    fingerprints, ``template`` holds the template's fingerprints (subtracted)."""
    kept = {k: fp.without(template) for k, fp in answers.items()}
    too_short = sorted(k for k, fp in kept.items() if len(fp.spans) < MIN_FINGERPRINTS)
    kept = {k: fp for k, fp in kept.items() if len(fp.spans) >= MIN_FINGERPRINTS}
    cohort = Cohort(question, kind, sorted(kept), too_short, unanswered, answers=kept)
    n = len(kept)
    cohort.pairs = n * (n - 1) // 2
    if n < 2:
        return cohort
    holders: dict[int, list[str]] = defaultdict(list)
    for key in cohort.compared:
        for h in kept[key].spans:
            holders[h].append(key)
    most = max(MIN_COMMON, math.ceil(COMMON_FRACTION * n))
    cohort.common = {h for h, keys in holders.items() if len(keys) > most}
    weight = {h: math.log(n / len(keys)) for h, keys in holders.items() if len(keys) <= most}
    total = {k: sum(weight.get(h, 0.0) for h in kept[k].spans) for k in cohort.compared}
    shared: dict[tuple[str, str], float] = defaultdict(float)
    for h, keys in holders.items():
        if 2 <= len(keys) <= most:  # keys are sorted: every pair (a, b) has a before b
            for i, a in enumerate(keys):
                for b in keys[i + 1:]:
                    shared[a, b] += weight[h]
    scores = {ab: s / min(total[ab[0]], total[ab[1]]) for ab, s in shared.items()
              if min(total[ab[0]], total[ab[1]]) > 0}
    cohort.mean, cohort.sd = _trimmed_spread(sorted(scores.values()), cohort.pairs)
    scale = max(cohort.sd, SD_FLOOR)
    cohort.ranked = sorted((Pair(question, a, b, s, (s - cohort.mean) / scale)
                            for (a, b), s in scores.items()),
                           key=lambda p: (-p.score, p.a, p.b))
    return cohort


def _trimmed_spread(nonzero: list[float], pairs: int) -> tuple[float, float]:
    """Mean and standard deviation of ``pairs`` scores, of which ``nonzero`` (sorted) are not
    0, once the top ``TRIMMED`` of them (at least one) are left out."""
    cut = max(1, math.ceil(TRIMMED * pairs)) if pairs > 1 else 0
    kept = nonzero[:max(len(nonzero) - cut, 0)]
    count = pairs - min(cut, pairs)
    if count <= 0:
        return 0.0, 0.0
    mean = sum(kept) / count
    variance = (sum((s - mean) ** 2 for s in kept) + (count - len(kept)) * mean ** 2) / count
    return mean, math.sqrt(max(variance, 0.0))

"""What a publication's words admit for one item: every distribution of its answers that the
facts allow (stars and bars), the verbal quantifiers read as ranges of counts, and the lowest
and highest count of chosen answers left (the facts themselves:
:mod:`analysis_utils.stats.publication`).

Examples
--------
>>> quantifier_range("merendeel", 28)
(15, 27)
"""
from __future__ import annotations

import itertools
import math
from functools import lru_cache

import numpy as np

from ..fmt import percent_of, round_half_up
from ..yamlio import load_resource
from .publication import OPS
from .wording import bears_on


@lru_cache(maxsize=None)
def _quantifiers() -> dict:
    return load_resource("quantifiers.yaml")


def load_quantifiers() -> dict[str, dict]:
    """The quantifier table (``resources/quantifiers.yaml``): how each verbal quantifier of a
    publication is read as a range of counts.

    Each word :math:`w` names a rule (:data:`RULES`) that maps :math:`n` answers to the counts
    :math:`[L_w(n), U_w(n)]` it admits (:func:`quantifier_range`), with its ``reading`` and
    ``why``, and the places where the author gives the word and a count for the same thing
    (``calibration``) or the grammar or dictionary it follows (``reference``); a comparison
    ('vaker') has ``comparison: true`` and no rule.

    References
    ----------
    Moxey, L. M., & Sanford, A. J. (1993). *Communicating Quantities: A Psychological
    Perspective*. Hove: Lawrence Erlbaum Associates. Haeseryn, W., et al. (1997). *Algemene
    Nederlandse Spraakkunst* (2nd ed.; e-ANS, https://e-ans.ivdnt.org), ch. 7 (the indefinite
    numerals).

    Examples
    --------
    >>> table = load_quantifiers()
    >>> table["merendeel"]["rule"], table["vaker"]["comparison"]
    ('more_than_half_not_all', True)
    """
    return dict(_quantifiers())


def _few(n: int) -> int:
    """The most 'enkele' admits at n: four (the author's Figuur 19), at most a quarter of n."""
    return max(2, min(4, n // 4))


# The readings a quantifier may have, as (lowest, highest) count of n answers.
RULES = {
    "more_than_half_not_all": lambda n: (n // 2 + 1, n - 1),
    "three_quarters_not_all": lambda n: (math.ceil(3 * n / 4), n - 1),
    "few": lambda n: (2, _few(n)),
    "all_but_few": lambda n: (n - _few(n), n - 2),
    "almost_all": lambda n: (n - _few(n), n - 1),
}


def quantifier_range(word: str, n: int) -> tuple[int, int] | None:
    """The counts of ``n`` answers a quantifier admits, e.g. ``merendeel`` at 28 -> (15, 27);
    None for a comparison ('vaker'), which bounds one group against another.

    The rules of :data:`RULES`, with :math:`f(n) = \\max(2, \\min(4, \\lfloor n/4 \\rfloor))`:

    .. math::
        \\text{more than half: } [\\lfloor n/2 \\rfloor + 1,\\ n - 1], \\quad
        \\text{three quarters: } [\\lceil 3n/4 \\rceil,\\ n - 1], \\quad
        \\text{few: } [2,\\ f(n)], \\\\
        \\text{all but few: } [n - f(n),\\ n - 2], \\quad
        \\text{almost all: } [n - f(n),\\ n - 1].

    References
    ----------
    Moxey, L. M., & Sanford, A. J. (1993), see :func:`load_quantifiers`.

    Examples
    --------
    >>> quantifier_range("enkele", 28), quantifier_range("afgezien van enkele", 28)
    ((2, 4), (24, 26))
    >>> quantifier_range("overgrote merendeel", 28), quantifier_range("bijna iedereen", 28)
    ((21, 27), (24, 27))
    >>> quantifier_range("vaker", 28) is None
    True
    """
    entry = _quantifiers()[word]
    return None if entry.get("comparison") else RULES[entry["rule"]](n)


def readings_range(fact: dict, n: int) -> tuple[int, int]:
    """What every reading of a ``contested`` statement allows at ``n`` answers: the smallest
    range holding each reading's counts — ``all`` (n), a quantifier of the table, or ``none``
    (a reading that gives no count: 0 to n, so the statement constrains nothing).

    With :math:`[L_r, U_r]` the counts reading :math:`r` admits, the statement admits
    :math:`[\\min_r L_r, \\max_r U_r]`: nothing beyond what some reading allows is excluded.

    References
    ----------
    Manski, C. F. (2003). *Partial Identification of Probability Distributions*. New York:
    Springer (a constraint kept only as far as every reading supports it). The example is line
    1699 of the 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt*
    (eindwerk, social work), "elke", against line 1918, "bijna iedereen".

    Examples
    --------
    >>> fact = {"readings": [{"word": "elke", "admits": "all"}, {"word": "bijna iedereen", "quantifier": "bijna iedereen"}]}
    >>> readings_range(fact, 28)
    (24, 28)
    >>> readings_range({"readings": [{"admits": "all"}, {"admits": "none"}]}, 28)
    (0, 28)
    """
    spans = []
    for reading in fact["readings"]:
        admits = reading.get("admits")
        spans.append((n, n) if admits == "all" else (0, n) if admits == "none"
                     else quantifier_range(reading["quantifier"], n))
    return min(low for low, _h in spans), max(high for _l, high in spans)


@lru_cache(maxsize=16)
def _compositions(n: int, k: int):
    """Every vector of ``k`` non-negative whole numbers summing to ``n`` (stars and bars); the
    same few (n, k) serve every item, so each is built once (read-only)."""
    bars = np.array(list(itertools.combinations(range(n + k - 1), k - 1)), dtype=int).reshape(-1, k - 1)
    edges = np.concatenate([np.full((len(bars), 1), -1), bars, np.full((len(bars), 1), n + k - 1)], axis=1)
    out = np.diff(edges, axis=1) - 1
    out.setflags(write=False)
    return out


class _Distributions:
    """Every distribution of one item's ``n`` answers over its codes, with the facts that have
    narrowed them so far (``ok``: which remain; ``used``: the facts that bear on the item)."""

    def __init__(self, item, n: int):
        self.item, self.n = item, n
        self.vec = _compositions(n, len(item.scale.codes))
        self.col = {c: j for j, c in enumerate(item.scale.codes)}
        self.ok = np.ones(len(self.vec), dtype=bool)
        self.used: list[dict] = []

    def total(self, codes) -> np.ndarray:
        return self.vec[:, [self.col[c] for c in codes if c in self.col]].sum(axis=1)

    def own_count(self, f: dict) -> np.ndarray:
        """A count or percent fact on this item alone: which distributions satisfy it."""
        k, n = self.total(f["where"][self.item.id]), self.n
        if f.get("kind") == "percent":
            allowed = np.array([percent_of(j, n) == round_half_up(f["percent"]) for j in range(n + 1)])
            if not allowed.any():  # a percentage no count of n can give: the nearest one
                allowed[min(range(n + 1), key=lambda j: abs(100 * j / n - f["percent"]))] = True
            return allowed[k]
        if f.get("provenance") == "quantifier" and quantifier_range(f["quantifier"], n) is not None:
            low, high = quantifier_range(f["quantifier"], n)
            return (k >= low) & (k <= high)
        if f.get("provenance") == "contested":  # what both readings allow, nothing more
            low, high = readings_range(f, n)
            return (k >= low) & (k <= high)
        return OPS[f["op"]](k, f["value"])

    def apply(self, f: dict) -> None:
        """Narrow by fact ``f`` where it bears on this item (see :func:`admissible_count`)."""
        kind, item = f.get("kind", "count"), self.item.id
        if not bears_on(f, item):
            return  # a fact about something else, or the project's own reading
        if kind in ("count", "percent"):
            self.ok &= self.own_count(f)
        elif kind == "mode":
            j = self.col[f["code"]]
            self.ok &= self.vec[:, j] > np.delete(self.vec, j, axis=1).max(axis=1)
        elif kind == "group_max":
            self.ok &= OPS["<=" if f["op"] == "==" else f["op"]](self.total(f["codes"]), f["value"])
        elif f.get("op") in (">", "<"):  # group_compare: least over `items` op largest over `than`
            # a count above another is at least 1, below one at most n - 1
            above = (item in f["items"]) == (f.get("op") in (">", ">="))
            self.ok &= self.total(f["codes"]) >= 1 if above else self.total(f["codes"]) <= self.n - 1
        self.used.append(f)

    def apply_claims(self, claims: list[dict]) -> None:
        """"elke respondent ...": binding only where the text says nothing more particular; a
        ``contested`` claim binds only as far as both its readings allow (often not at all)."""
        own = [f for f in self.used if set(f.get("where", {})) == {self.item.id}
               and f.get("provenance") in ("count", "quantifier", "contested")]
        for c in claims:
            if self.item.id not in c.get("items", []) or own:
                continue
            low, high = readings_range(c, self.n) if c.get("provenance") == "contested" else (self.n, self.n)
            if (low, high) == (0, self.n):
                continue
            k = self.total(c["codes"])
            with_claim = self.ok & (k >= low) & (k <= high)
            if with_claim.any():
                self.ok = with_claim
                self.used.append({"provenance": "contested" if c.get("provenance") == "contested" else "bound"})

    def provenance(self, low: int, high: int) -> str:
        used = {f.get("provenance") for f in self.used}
        if low == high:
            return "count" if "count" in used else "bound"
        return next((p for p in ("contested", "quantifier") if p in used), "inferred")


def admissible_count(item, n: int, facts: list[dict], claims: list[dict] = (), counted: list[int] | None = None,
                     with_provenance: bool = False):
    """What a publication allows for the count of one item's answers in ``counted`` (default:
    its top-2 codes) at ``n`` answers: the lowest and highest count (with ``with_provenance``,
    first its provenance).

    Every distribution of the ``n`` answers over the item's codes (stars and bars,
    :math:`\\binom{n + c - 1}{c - 1}` of them) is kept if it satisfies the item's own facts (a
    quantifier read as the range its word admits, not as the split rule's point) and the text's
    universal claims ("elke respondent ...") where the text gives no count or quantifier of its
    own for the item (it often does, and then contradicts the claim).

    Provenance: ``count`` or ``bound`` when the facts fix the count (by a number the thesis gives,
    or by a universal or an inequality alone), ``contested`` when the range is what two readings of
    a statement the thesis contradicts elsewhere allow (:func:`readings_range`), ``quantifier``
    when a verbal quantifier leaves a range, ``inferred`` when no statement of the text pins it
    (the reconstruction's own choice).
    Facts that compare groups of items ('vaker') narrow one item's range only as far as any
    comparison does — a count strictly above another is at least 1, one strictly below another at
    most n − 1 — so such a range is an outer bound.

    With :math:`V` the distributions :math:`v \\in \\mathbb{N}^c`, :math:`\\sum_j v_j = n`, that
    satisfy those facts, and :math:`C` the codes in ``counted``, the range is

    .. math:: \\Big[\\min_{v \\in V} \\sum_{j \\in C} v_j,\\; \\max_{v \\in V} \\sum_{j \\in C} v_j\\Big];

    facts that leave no distribution (:math:`V = \\emptyset`) raise a ValueError.

    References
    ----------
    Feller, W. (1968). *An Introduction to Probability Theory and Its Applications*, Vol. 1
    (3rd ed.). New York: Wiley (stars and bars). Manski, C. F. (2003). *Partial Identification
    of Probability Distributions*. New York: Springer (the range as what the data identify).

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> item = load_codebook().item("q13_ask_help_easily")
    >>> facts = [{"where": {item.id: [4, 5]}, "provenance": "quantifier", "quantifier": "merendeel"}]
    >>> admissible_count(item, 28, facts, with_provenance=True)
    ('quantifier', 15, 27)
    """
    dist = _Distributions(item, n)
    for f in facts:
        dist.apply(f)
    dist.apply_claims(claims)
    top = dist.total(item.top2_codes if counted is None else counted)[dist.ok]
    if not len(top):
        raise ValueError(f"the facts on {item.id} contradict each other at n = {n}")
    low, high = int(top.min()), int(top.max())
    return (dist.provenance(low, high), low, high) if with_provenance else (low, high)


def admissible_distributions(item, n: int, facts: list[dict], claims: list[dict] = ()) -> np.ndarray:
    """Every distribution of the item's ``n`` answers over its codes that the publication admits
    (the set :math:`V` of :func:`admissible_count`), one count vector per row, codes in order.

    References
    ----------
    Feller (1968) and Manski (2003), see :func:`admissible_count`.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> item = load_codebook().item("q08_satisfaction")
    >>> facts = [{"where": {item.id: [4, 5]}, "op": "==", "value": 3, "provenance": "count"}]
    >>> admissible_distributions(item, 3, facts).tolist()
    [[0, 0, 0, 0, 3], [0, 0, 0, 1, 2], [0, 0, 0, 2, 1], [0, 0, 0, 3, 0]]
    """
    dist = _Distributions(item, n)
    for f in facts:
        dist.apply(f)
    dist.apply_claims(claims)
    return dist.vec[dist.ok]


def admissible_top2(item, n: int, facts: list[dict], claims: list[dict] = ()) -> tuple[str, int, int]:
    """:func:`admissible_count` of the item's top-2 codes, with its provenance: (provenance,
    lowest, highest) of :math:`k = v_{c-1} + v_c`, the answers in the two most positive
    categories (the lowest two codes of a reversed item).

    References
    ----------
    Feller (1968) and Manski (2003), see :func:`admissible_count`.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> item = load_codebook().item("q13_ask_help_easily")
    >>> admissible_top2(item, 28, [{"where": {item.id: [4, 5]}, "op": "==", "value": 20, "provenance": "count"}])
    ('count', 20, 20)
    >>> admissible_top2(item, 28, [])
    ('inferred', 0, 28)
    """
    return admissible_count(item, n, facts, claims, item.top2_codes, with_provenance=True)


def narrowing(item, n: int, facts: list[dict], claims: list[dict] = ()):
    """Facts -> whether leaving them out widens the admitted top-2 range: :math:`[L, U]_{F \\setminus G} \\neq [L, U]_F`.

    References
    ----------
    Manski (2003), see :func:`admissible_count`.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> fact = {"where": {"q13_ask_help_easily": [4, 5]}, "op": "==", "value": 20, "provenance": "count"}
    >>> narrowing(load_codebook().item("q13_ask_help_easily"), 28, [fact])([fact])
    True
    """
    full, rest = admissible_top2(item, n, facts, claims)[1:], lambda group: [f for f in facts if all(f is not g for g in group)]
    return lambda group: admissible_top2(item, n, rest(group), claims)[1:] != full


def chosen_below(item, admitted: np.ndarray) -> dict[int, tuple[int, int]]:
    """The answers below a scale item's two most favourable whose count the admitted
    distributions (:func:`admissible_distributions`, one count vector per row) leave open though
    they fix the top-2 count, so their total: code -> (lowest, highest count). Which of these
    answers the others are is a reconstruction's choice. With :math:`T` the top-2 codes,

    .. math:: \\{c \\notin T : \\min_v v_c < \\max_v v_c\\} \\quad \\text{if} \\quad
              \\min_v \\textstyle\\sum_{t \\in T} v_t = \\max_v \\sum_{t \\in T} v_t, \\text{ else } \\emptyset.

    References
    ----------
    Manski (2003), see :func:`admissible_count`.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> item = load_codebook().item("q18_personality_match")
    >>> chosen_below(item, np.array([[1, 0, 4, 5, 18], [0, 1, 4, 9, 14]]))
    {1: (0, 1), 2: (0, 1)}
    >>> chosen_below(item, np.array([[0, 1, 4, 5, 18], [0, 2, 4, 5, 17]]))
    {}
    """
    top = [item.scale.codes.index(c) for c in item.top2_codes]
    if len(set(admitted[:, top].sum(axis=1))) != 1:
        return {}
    low, high = admitted.min(axis=0), admitted.max(axis=0)
    return {c: (int(lo), int(hi)) for i, (c, lo, hi) in enumerate(zip(item.scale.codes, low, high))
            if lo != hi and i not in top}


def linked_bounds(facts: list[dict], claims: list[dict], codebook, n: int) -> list[dict]:
    """Facts that tie one item's count to another's (``value_of``: "one-person households are the
    singles plus the widowed") turned into bounds on each item alone, so that the per-item ranges
    of :func:`admissible_count` and :func:`admissible_distributions` can use them: for
    :math:`\\#\\{x_a \\in C_a\\} = \\#\\{x_b \\in C_b\\}`,

    .. math:: \\min_{V_b} \\sum_{j \\in C_b} v_j \\;\\le\\; \\sum_{j \\in C_a} v_j \\;\\le\\;
              \\max_{V_b} \\sum_{j \\in C_b} v_j,

    and the other way round, each over the distributions the other facts admit (a projection:
    it keeps every joint arrangement, so the ranges stay outer bounds). An inferred fact ties
    nothing.

    References
    ----------
    Manski (2003), see :func:`admissible_count`. The fact: the 2015 bachelor thesis *De
    hulpverleningsrelatie door de ogen van de cliënt* (eindwerk, social work), lines 1585–1587.

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> cb = load_codebook()
    >>> facts = [{"id": "w", "where": {"q03_civil_status": [4]}, "op": "==", "value": 3, "provenance": "count"},
    ...          {"id": "h", "where": {"q05_household_size": [1]}, "op": "==", "provenance": "bound",
    ...           "value_of": {"q03_civil_status": [1, 4]}}]
    >>> [(f["where"], f["op"], f["value"]) for f in linked_bounds(facts, [], cb, 28)][:2]
    [({'q05_household_size': [1]}, '>=', 3), ({'q05_household_size': [1]}, '<=', 28)]
    """
    out = []
    for f in facts:
        if "value_of" not in f or f.get("op") != "==" or f.get("provenance") == "inferred":
            continue
        (a, codes_a), = f["where"].items()
        (b, codes_b), = f["value_of"].items()
        rest = [g for g in facts if g is not f]
        for (x, cx), (y, cy) in (((a, codes_a), (b, codes_b)), ((b, codes_b), (a, codes_a))):
            low, high = admissible_count(codebook.item(y), n, rest, claims, list(cy))
            out += [{"id": f"{f['id']}_{x}_low", "where": {x: list(cx)}, "op": ">=", "value": low, "provenance": "count"},
                    {"id": f"{f['id']}_{x}_high", "where": {x: list(cx)}, "op": "<=", "value": high,
                     "provenance": "count"}]
    return out

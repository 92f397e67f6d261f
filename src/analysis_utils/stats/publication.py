"""A publication's facts (``reported.yaml``, parsed) as constraints on an intake's answers: the
reproduction table, the GRIM check of its percentages, its universal claims against the counts,
and the range of counts its words admit for one item.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"q01_gender": [1, 1, 2]})
>>> fact = {"id": "men", "where": {"q01_gender": [1]}, "op": "==", "value": 2, "reported": "2 men"}
>>> check_fact(df, fact)["status"]
'match'
>>> grim_consistent(47, 28)
False
"""
from __future__ import annotations

import itertools
import math
import operator
from functools import lru_cache

import numpy as np
import pandas as pd

from ..codebook import Codebook, load_codebook, mask
from ..fmt import percent_of, round_half_up
from ..yamlio import load_resource

OPS = {"==": operator.eq, ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
REPRODUCTION_COLUMNS = ["fact_id", "figure", "seed_line", "reported", "observed", "status"]
PROVENANCE = ("count", "bound", "quantifier", "inferred")
# A fact that holds, named by what it rests on: only a count the thesis gives can be "exact";
# a quantifier reading holds by construction in a reconstruction and confirms nothing.
MET = {"count": "exact", "bound": "within bound", "quantifier": "quantifier reading", "inferred": "assumption"}
HELD = ("match", *MET.values())
# What the observed column says beside a number (English in the CSV; the report words them:
# analysis_utils.present.labels.OBSERVED).
LARGEST, LEAST_FIRST, LARGEST_SECOND = "largest", "least of the first group", "largest of the second"
SMALLEST_N, MOST_FREQUENT = "smallest n", "most frequent"


@lru_cache(maxsize=None)
def _quantifiers() -> dict:
    return load_resource("quantifiers.yaml")


def load_quantifiers() -> dict[str, dict]:
    """The quantifier table (``resources/quantifiers.yaml``): how each verbal quantifier of a
    publication is read as a range of counts."""
    return dict(_quantifiers())


def _few(n: int) -> int:
    return max(2, n // 4)


# The readings a quantifier may have, as (lowest, highest) count of n answers.
RULES = {
    "more_than_half": lambda n: (n // 2 + 1, n),
    "two_thirds": lambda n: (math.ceil(2 * n / 3), n),
    "few": lambda n: (2, _few(n)),
    "all_but_few": lambda n: (n - _few(n), n - 2),
}


def quantifier_range(word: str, n: int) -> tuple[int, int] | None:
    """The counts of ``n`` answers a quantifier admits, e.g. ``merendeel`` at 28 -> (15, 28);
    None for a comparison ('vaker'), which bounds one group against another.

    >>> quantifier_range("enkele", 28), quantifier_range("afgezien van enkele", 28)
    ((2, 7), (21, 26))
    """
    entry = _quantifiers()[word]
    return None if entry.get("comparison") else RULES[entry["rule"]](n)


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
        return OPS[f["op"]](k, f["value"])

    def apply(self, f: dict) -> None:
        """Narrow by fact ``f`` where it bears on this item (see :func:`admissible_count`)."""
        kind, where, item = f.get("kind", "count"), f.get("where", {}), self.item.id
        if kind in ("count", "percent") and set(where) == {item} and isinstance(where[item], list) \
                and "value_of" not in f:
            self.ok &= self.own_count(f)
        elif kind == "mode" and f["item"] == item:
            j = self.col[f["code"]]
            self.ok &= self.vec[:, j] > np.delete(self.vec, j, axis=1).max(axis=1)
        elif kind == "group_max" and item in f["items"] and f.get("op") in ("==", "<=", "<"):
            self.ok &= OPS["<=" if f["op"] == "==" else f["op"]](self.total(f["codes"]), f["value"])
        elif not (kind == "group_compare" and item in (*f["items"], *f["than"])):
            return  # a fact about something else
        self.used.append(f)

    def apply_claims(self, claims: list[dict]) -> None:
        """"elke respondent ...": binding only where the text says nothing more particular."""
        own = [f for f in self.used if set(f.get("where", {})) == {self.item.id}
               and f.get("provenance") in ("count", "quantifier")]
        for c in claims:
            if self.item.id in c.get("items", []) and not own:
                with_claim = self.ok & (self.total(c["codes"]) == self.n)
                if with_claim.any():
                    self.ok = with_claim
                    self.used.append({"provenance": "bound"})

    def provenance(self, low: int, high: int) -> str:
        if low == high:
            return "count" if any(f.get("provenance") == "count" for f in self.used) else "bound"
        return "quantifier" if any(f.get("provenance") == "quantifier" for f in self.used) else "inferred"


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
    or by a universal or an inequality alone), ``quantifier`` when a verbal quantifier leaves a
    range, ``inferred`` when no statement of the text pins it (the reconstruction's own choice).
    Facts that compare groups of items ('vaker') name the provenance but do not narrow one
    item's range, so such a range is an outer bound.

    Examples
    --------
    >>> item = load_codebook().item("q13_ask_help_easily")
    >>> facts = [{"where": {item.id: [4, 5]}, "provenance": "quantifier", "quantifier": "merendeel"}]
    >>> admissible_count(item, 28, facts, with_provenance=True)
    ('quantifier', 15, 28)
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


def admissible_top2(item, n: int, facts: list[dict], claims: list[dict] = ()) -> tuple[str, int, int]:
    """:func:`admissible_count` of the item's top-2 codes, with its provenance."""
    return admissible_count(item, n, facts, claims, item.top2_codes, with_provenance=True)


def count(df: pd.DataFrame, where: dict) -> int:
    """Respondents matching every condition of ``where`` (:func:`analysis_utils.codebook.mask`)."""
    return int(mask(df, where).sum())


def grim_consistent(percent: float, n: int) -> bool:
    """Whether a whole-number percentage can be :math:`k/n` for some whole :math:`k` (the GRIM
    test, applied to percentages).

    References
    ----------
    Brown, N. J. L., & Heathers, J. A. J. (2017). The GRIM test: a simple technique detects
    numerous anomalies in the reporting of results in psychology. *Social Psychological and
    Personality Science*, 8(4), 363–369.

    Examples
    --------
    >>> grim_consistent(32, 28), grim_consistent(47, 28)
    (True, False)
    """
    return any(percent_of(k, n) == round_half_up(percent) for k in range(n + 1))


def possible_bases(percents: list[float], n_max: int = 60, n_min: int = 1) -> list[int]:
    """Every base n in [n_min, n_max] at which all the given percentages are k/n for whole k.

    >>> possible_bases([47, 32], n_max=20)
    [19]
    """
    return [n for n in range(n_min, n_max + 1) if all(grim_consistent(p, n) for p in percents)]


def nearest_count(percent: float, n: int) -> int:
    """The whole count of ``n`` whose share is closest to ``percent``.

    >>> nearest_count(47, 28)
    13
    """
    return min(range(n + 1), key=lambda j: abs(100 * j / n - percent))


def _fmt_where(where: dict) -> str:
    return " & ".join(f"{k} in {v}" if isinstance(v, list) else f"{k} {v}" for k, v in where.items())


# Each check returns (holds, observed): the observed value as parts (a term of :data:`LARGEST` and
# its kin, or None, and the number), worded at presentation and joined in English for the CSV.
Observed = list[tuple[str | None, str]]


def _check_intake(df: pd.DataFrame, fact: dict, meta: dict) -> tuple[bool, Observed]:
    if "response_percent" in fact:
        value = percent_of(len(df), int(meta["clients_approached"]))
        return value == round_half_up(fact["response_percent"]), [(None, f"{value} % ({len(df)}/{meta['clients_approached']})")]
    value = meta.get(fact["key"])
    return OPS[fact.get("op", "==")](value, fact["value"]), [(None, str(value))]


def _check_count(df: pd.DataFrame, fact: dict) -> tuple[bool, Observed]:
    k = count(df, fact["where"])
    op = OPS[fact.get("op", "==")]
    if "value_of" in fact:
        target = count(df, fact["value_of"])
        return op(k, target), [(None, f"{k} ({_fmt_where(fact['value_of'])}: {target})")]
    return op(k, fact["value"]), [(None, str(k))]


def _check_percent(df: pd.DataFrame, fact: dict) -> tuple[bool | str, Observed]:
    item = next(iter(fact["where"]))
    n = int(df[item].notna().sum())
    k = count(df, fact["where"])
    observed = [(None, f"{percent_of(k, n)} % ({k}/{n})")]
    if percent_of(k, n) == round_half_up(fact["percent"]):
        return True, observed
    if not grim_consistent(fact["percent"], n):
        return ("nearest possible" if k == nearest_count(fact["percent"], n) else "mismatch"), observed
    return False, observed


def _check_mode(df: pd.DataFrame, fact: dict) -> tuple[bool, Observed]:
    counts = df[fact["item"]].value_counts()
    top = counts[counts == counts.max()].index.tolist()
    return top == [fact["code"]], [(MOST_FREQUENT, f"{', '.join(str(int(c)) for c in sorted(top))} ({int(counts.max())})")]


def _check_groups(df: pd.DataFrame, fact: dict) -> tuple[bool, Observed]:
    counts = {i: count(df, {i: fact["codes"]}) for i in fact["items"]}
    op = OPS[fact.get("op", "==")]
    if fact.get("kind") == "group_max":
        return op(max(counts.values()), fact["value"]), [(LARGEST, str(max(counts.values())))]
    others = {i: count(df, {i: fact["codes"]}) for i in fact["than"]}
    return (op(min(counts.values()), max(others.values())),
            [(LEAST_FIRST, str(min(counts.values()))), (LARGEST_SECOND, str(max(others.values())))])


def _check_complete(df: pd.DataFrame, fact: dict, codebook: Codebook | None) -> tuple[bool, Observed]:
    cb = codebook or load_codebook()
    items = [i.id for i in cb.items if not i.absent_in_pilot and i.id not in fact.get("except", [])]
    n_min = int(df[items].notna().sum().min())
    return OPS[fact.get("op", "==")](n_min, fact["value"]), [(SMALLEST_N, str(n_min))]


def check_fact(df: pd.DataFrame, fact: dict, codebook: Codebook | None = None, meta: dict | None = None) -> dict:
    """Evaluate one fact on the answers ``df`` (codes); return a reproduction-table row
    (``status``: what it rests on when it holds, :data:`MET`; ``mismatch`` when it does not;
    ``nearest possible`` for a percentage no whole count can give, met by the nearest count).

    A fact of kind ``intake`` is checked against the intake description ``meta``: its ``key``
    (e.g. clients_approached) against ``value``, or with ``response_percent`` the response rate,
    respondents over clients approached, as a whole percentage.
    """
    kind = fact.get("kind", "count")
    checks = {"intake": lambda: _check_intake(df, fact, meta), "count": lambda: _check_count(df, fact),
              "percent": lambda: _check_percent(df, fact), "mode": lambda: _check_mode(df, fact),
              "group_compare": lambda: _check_groups(df, fact), "group_max": lambda: _check_groups(df, fact),
              "complete": lambda: _check_complete(df, fact, codebook)}
    if kind not in checks:
        raise ValueError(f"fact {fact['id']}: unknown kind {kind!r}")
    ok, parts = checks[kind]()
    status = ok if isinstance(ok, str) else (MET.get(fact.get("provenance"), "match") if ok else "mismatch")
    return {"fact_id": fact["id"], "figure": fact.get("figure"), "seed_line": fact.get("seed_line"),
            "reported": fact["reported"], "observed": observed_text(parts), "status": status, "observed_parts": parts}


def observed_text(parts: Observed, word=str) -> str:
    """The observed value of a fact in words (``word``: how a term is worded; English as it is)."""
    return ", ".join(f"{word(term)}: {text}" if term else text for term, text in parts)


def reproduction_table(df: pd.DataFrame, facts: list[dict], codebook: Codebook | None = None,
                       meta: dict | None = None) -> pd.DataFrame:
    """Every reported fact beside its value in ``df``: the reproduction table. Facts about the
    intake description (kind ``intake``) need its ``meta`` and are left out without it.

    ``observed_parts`` keeps the observed value as parts to word (:func:`observed_text`).

    Examples
    --------
    >>> df = pd.DataFrame({"q01_gender": [1, 1, 2]})
    >>> facts = [{"id": "men", "where": {"q01_gender": [1]}, "op": "==", "value": 3, "reported": "3 men"}]
    >>> reproduction_table(df, facts)["status"].tolist()
    ['mismatch']
    """
    table = pd.DataFrame([check_fact(df, f, codebook, meta) for f in facts
                          if f.get("kind") != "intake" or meta is not None],
                         columns=[*REPRODUCTION_COLUMNS, "observed_parts"])
    table["figure"] = table["figure"].astype("Int64")
    table["seed_line"] = table["seed_line"].astype("Int64")
    return table


def percent_checks(facts: list[dict], df: pd.DataFrame, n_max: int = 60) -> pd.DataFrame:
    """GRIM for every reported percentage: can it be k/n at its n (``possible``), the ``nearest``
    count, and which bases up to ``n_max`` give every percentage of its figure (``bases``).

    Examples
    --------
    >>> df = pd.DataFrame({"q07_help_type": [2] * 13 + [1] * 15})
    >>> fact = {"id": "f", "figure": 7, "where": {"q07_help_type": [2]}, "percent": 47, "kind": "percent"}
    >>> percent_checks([fact], df)[["possible", "nearest", "n"]].values.tolist()
    [[False, 13, 28]]
    """
    pct_facts = [f for f in facts if f.get("kind") == "percent"]
    by_figure: dict = {}
    for f in pct_facts:
        by_figure.setdefault(f.get("figure"), []).append(f["percent"])
    rows = []
    for f in pct_facts:
        n = int(df[next(iter(f["where"]))].notna().sum())
        rows.append({"fact_id": f["id"], "figure": f.get("figure"), "seed_line": f.get("seed_line"),
                     "percent": f["percent"], "n": n, "possible": grim_consistent(f["percent"], n),
                     "nearest": nearest_count(f["percent"], n),
                     "bases": possible_bases(by_figure[f.get("figure")], n_max=n_max)})
    return pd.DataFrame(rows, columns=["fact_id", "figure", "seed_line", "percent", "n", "possible", "nearest", "bases"])


def claim_checks(claims: list[dict], df: pd.DataFrame) -> pd.DataFrame:
    """Universal statements of the text ("every respondent ...") against the counts: per claim,
    the (k, n) of each item (``counts``: only the items that fall short, when any does) and
    whether it is ``consistent``.

    Examples
    --------
    >>> df = pd.DataFrame({"q08_satisfaction": [4, 5, 3]})
    >>> claim = {"id": "all", "items": ["q08_satisfaction"], "codes": [4, 5], "says": "all satisfied"}
    >>> claim_checks([claim], df)[["counts", "consistent"]].values.tolist()
    [[{'q08_satisfaction': (2, 3)}, False]]
    """
    rows = []
    for c in claims:
        observed = {i: (count(df, {i: c["codes"]}), int(df[i].notna().sum())) for i in c["items"]}
        short = {i: kn for i, kn in observed.items() if not OPS[c.get("op", "==")](kn[0], kn[1])}
        rows.append({"claim_id": c["id"], "figure": c.get("figure"), "seed_line": c.get("seed_line"),
                     "counts": short or observed, "consistent": not short})
    return pd.DataFrame(rows, columns=["claim_id", "figure", "seed_line", "counts", "consistent"])

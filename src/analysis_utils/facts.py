"""Reported facts (``reported.yaml``) as constraints, checked against an intake's answers.

Each fact of the publication becomes one row of the reproduction table: what the thesis
reports, what the data gives, and whether they agree.

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

import math
import operator
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .fmt import round_half_up
from .i18n import N_
from .yamlio import load_yaml
from .codebook import Codebook, load_codebook

OPS = {"==": operator.eq, ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
REPRODUCTION_COLUMNS = ["fact_id", "figure", "seed_line", "reported", "observed", "status"]


def load_facts(path: str | Path) -> list[dict]:
    """Read the ``facts`` list of a ``reported.yaml`` file."""
    return load_yaml(Path(path).read_text("utf-8"))["facts"]


def load_publication(intake_dir: str | Path, manifest: dict) -> dict | None:
    """The facts and claims of a reconstructed intake's ``reported.yaml``, else None (an intake
    of observed answers is not bounded by a publication)."""
    path = Path(intake_dir) / "reported.yaml"
    if manifest.get("source") != "reconstructed-from-publication" or not path.is_file():
        return None
    data = load_yaml(path.read_text("utf-8"))
    return {"facts": data["facts"], "claims": data.get("claims", [])}


def load_contradictions(path: str | Path) -> list[dict]:
    """Read the ``contradictions`` list of a ``reported.yaml`` file: statements of the text that
    cannot all be read as counts at once, each quoted with its line."""
    return load_yaml(Path(path).read_text("utf-8")).get("contradictions", [])


def load_claims(path: str | Path) -> list[dict]:
    """Read the ``claims`` list (universal statements of the text) of a ``reported.yaml`` file."""
    return load_yaml(Path(path).read_text("utf-8")).get("claims", [])


PROVENANCE = ("count", "bound", "quantifier", "inferred")
# A fact that holds, named by what it rests on: only a count the thesis gives can be "exact";
# a quantifier reading holds by construction in a reconstruction and confirms nothing.
MET = {"count": N_("exact"), "bound": N_("within bound"), "quantifier": N_("quantifier reading"), "inferred": N_("assumption")}
HELD = ("match", *MET.values())
# What the observed column says beside a number (English in the CSV; the Dutch report translates).
LARGEST, LEAST_FIRST, LARGEST_SECOND = N_("largest"), N_("least of the first group"), N_("largest of the second")
SMALLEST_N, MOST_FREQUENT = N_("smallest n"), N_("most frequent")


def load_quantifiers() -> dict[str, dict]:
    """The quantifier table (``resources/quantifiers.yaml``): how each verbal quantifier of a
    publication is read as a range of counts."""
    from importlib import resources

    return load_yaml(resources.files("analysis_utils").joinpath("resources/quantifiers.yaml").read_text("utf-8"))


def quantifier_range(word: str, n: int) -> tuple[int, int] | None:
    """The counts of ``n`` answers a quantifier admits, e.g. ``merendeel`` at 28 -> (15, 28);
    None for a comparison ('vaker'), which bounds one group against another.

    >>> quantifier_range("enkele", 28), quantifier_range("afgezien van enkele", 28)
    ((2, 7), (21, 26))
    """
    entry = load_quantifiers()[word]
    return None if entry.get("comparison") else RULES[entry["rule"]](n)


def _few(n: int) -> int:
    return max(2, n // 4)


# The readings a quantifier may have, as (lowest, highest) count of n answers.
RULES = {
    "more_than_half": lambda n: (n // 2 + 1, n),
    "two_thirds": lambda n: (math.ceil(2 * n / 3), n),
    "few": lambda n: (2, _few(n)),
    "all_but_few": lambda n: (n - _few(n), n - 2),
}


@lru_cache(maxsize=16)
def _compositions(n: int, k: int):
    """Every vector of ``k`` non-negative whole numbers summing to ``n`` (stars and bars); the
    same few (n, k) serve every item, so each is built once (read-only)."""
    import itertools

    import numpy as np

    bars = np.array(list(itertools.combinations(range(n + k - 1), k - 1)), dtype=int).reshape(-1, k - 1)
    edges = np.concatenate([np.full((len(bars), 1), -1), bars, np.full((len(bars), 1), n + k - 1)], axis=1)
    out = np.diff(edges, axis=1) - 1
    out.setflags(write=False)
    return out


def admissible_top2(item, n: int, facts: list[dict], claims: list[dict] = ()) -> tuple[str, int, int]:
    """:func:`admissible_count` of the item's top-2 codes."""
    return admissible_count(item, n, facts, claims, item.top2_codes, with_provenance=True)


def admissible_count(item, n: int, facts: list[dict], claims: list[dict] = (), counted: list[int] | None = None,
                     with_provenance: bool = False):
    """What a publication allows for the count of one item's answers in ``counted`` at ``n``
    answers: the lowest and highest count (with ``with_provenance``, first its provenance), over every distribution of the n answers that satisfies the
    item's own facts (a quantifier read as the range its word admits, not as the split rule's
    point) and the text's universal claims ("elke respondent ...") where the text gives no
    count or quantifier of its own for the item (it often does, and then contradicts the claim).

    Provenance: ``count`` or ``bound`` when the facts fix the count (by a number the thesis gives,
    or by a universal or an inequality alone), ``quantifier`` when a verbal quantifier leaves a
    range, ``inferred`` when no statement of the text pins it (the reconstruction's own choice).
    Facts that compare groups of items ('vaker') name the provenance but do not narrow one
    item's range, so such a range is an outer bound.
    """
    import numpy as np

    codes = list(item.scale.codes)
    vec = _compositions(n, len(codes))
    col = {c: j for j, c in enumerate(codes)}

    def total(cs):
        return vec[:, [col[c] for c in cs if c in col]].sum(axis=1)

    ok = np.ones(len(vec), dtype=bool)
    used = []
    for f in facts:
        kind = f.get("kind", "count")
        where = f.get("where", {})
        if kind in ("count", "percent") and set(where) == {item.id} and isinstance(where[item.id], list) \
                and "value_of" not in f:
            k = total(where[item.id])
            if kind == "percent":
                allowed = np.array([percent_of(j, n) == round_half_up(f["percent"]) for j in range(n + 1)])
                if not allowed.any():  # a percentage no count of n can give: the nearest one
                    allowed[min(range(n + 1), key=lambda j: abs(100 * j / n - f["percent"]))] = True
                ok &= allowed[k]
            elif f.get("provenance") == "quantifier" and quantifier_range(f["quantifier"], n) is not None:
                low, high = quantifier_range(f["quantifier"], n)
                ok &= (k >= low) & (k <= high)
            else:
                ok &= OPS[f["op"]](k, f["value"])
            used.append(f)
        elif kind == "mode" and f["item"] == item.id:
            j = col[f["code"]]
            ok &= vec[:, j] > np.delete(vec, j, axis=1).max(axis=1)
            used.append(f)
        elif kind == "group_max" and item.id in f["items"] and f.get("op") in ("==", "<=", "<"):
            ok &= OPS["<=" if f["op"] == "==" else f["op"]](total(f["codes"]), f["value"])
            used.append(f)
        elif kind == "group_compare" and item.id in (*f["items"], *f["than"]):
            used.append(f)
    own = [f for f in used if set(f.get("where", {})) == {item.id} and f.get("provenance") in ("count", "quantifier")]
    for c in claims:  # "elke respondent ...": binding only where the text says nothing more particular
        if item.id in c.get("items", []) and not own:
            with_claim = ok & (total(c["codes"]) == n)
            if with_claim.any():
                ok = with_claim
                used.append({"provenance": "bound"})
    top = total(item.top2_codes if counted is None else counted)[ok]
    if not len(top):
        raise ValueError(f"the facts on {item.id} contradict each other at n = {n}")
    low, high = int(top.min()), int(top.max())
    if not with_provenance:
        return low, high
    if low == high:
        provenance = "count" if any(f.get("provenance") == "count" for f in used) else "bound"
    elif any(f.get("provenance") == "quantifier" for f in used):
        provenance = "quantifier"
    else:
        provenance = "inferred"
    return provenance, low, high


def mask(df: pd.DataFrame, where: dict) -> pd.Series:
    """Rows matching every condition of ``where`` (item -> codes, ``missing`` or ``answered``)."""
    keep = np.ones(len(df), dtype=bool)  # on arrays: the reproduction table asks this ~100 times
    for item, cond in where.items():
        col = df[item]
        if cond == "missing":
            keep &= col.isna().to_numpy()
        elif cond == "answered":
            keep &= col.notna().to_numpy()
        elif col.dtype.kind in "iuf" and all(isinstance(c, (int, float)) for c in cond):
            keep &= np.isin(col.to_numpy(dtype=float, na_value=np.nan), list(cond))
        else:
            keep &= col.isin(list(cond)).to_numpy(dtype=bool, na_value=False)
    return pd.Series(keep, index=df.index)


def count(df: pd.DataFrame, where: dict) -> int:
    return int(mask(df, where).sum())


def percent_of(k: int, n: int) -> int:
    """A count as a whole percentage, rounded half up as a reader would."""
    return round_half_up(100 * k / n)


def grim_consistent(percent: float, n: int) -> bool:
    """Whether a whole-number percentage can be k/n for some whole k (GRIM for percentages)."""
    return any(percent_of(k, n) == round_half_up(percent) for k in range(n + 1))


def possible_bases(percents: list[float], n_max: int = 60, n_min: int = 1) -> list[int]:
    """Every base n in [n_min, n_max] at which all the given percentages are k/n for whole k."""
    return [n for n in range(n_min, n_max + 1) if all(grim_consistent(p, n) for p in percents)]


def _fmt_where(where: dict) -> str:
    return " & ".join(f"{k} in {v}" if isinstance(v, list) else f"{k} {v}" for k, v in where.items())


def check_fact(df: pd.DataFrame, fact: dict, codebook: Codebook | None = None, meta: dict | None = None) -> dict:
    """Evaluate one fact on the answers ``df`` (codes); return a reproduction-table row. A fact
    of kind ``intake`` is checked against the intake description ``meta`` (intake.yaml): its
    ``key`` (e.g. clients_approached) against ``value``, or with ``response_percent`` the
    response rate, respondents over clients approached, as a whole percentage."""
    kind = fact.get("kind", "count")
    op = OPS[fact.get("op", "==")]
    if kind == "intake":
        if "response_percent" in fact:
            value = percent_of(len(df), int(meta["clients_approached"]))
            ok, observed = value == round_half_up(fact["response_percent"]), f"{value} % ({len(df)}/{meta['clients_approached']})"
        else:
            value = meta.get(fact["key"])
            ok, observed = op(value, fact["value"]), str(value)
    elif kind == "count":
        k = count(df, fact["where"])
        if "value_of" in fact:
            target = count(df, fact["value_of"])
            ok = op(k, target)
            observed = f"{k} ({_fmt_where(fact['value_of'])}: {target})"
        else:
            ok = op(k, fact["value"])
            observed = str(k)
    elif kind == "percent":
        item = next(iter(fact["where"]))
        n = int(df[item].notna().sum())
        k = count(df, fact["where"])
        pct = percent_of(k, n)
        observed = f"{pct} % ({k}/{n})"
        if pct == round_half_up(fact["percent"]):
            ok = True
        elif not grim_consistent(fact["percent"], n):
            nearest = min(range(n + 1), key=lambda j: abs(100 * j / n - fact["percent"]))
            status = "nearest possible" if k == nearest else "mismatch"
            return _row(fact, observed, status)
        else:
            ok = False
    elif kind == "mode":
        counts = df[fact["item"]].value_counts()
        top = counts[counts == counts.max()].index.tolist()
        ok = top == [fact["code"]]
        observed = f"{MOST_FREQUENT}: {', '.join(str(int(c)) for c in sorted(top))} ({int(counts.max())})"
    elif kind in ("group_compare", "group_max"):
        counts = {i: count(df, {i: fact["codes"]}) for i in fact["items"]}
        if kind == "group_max":
            ok = op(max(counts.values()), fact["value"])
            observed = f"{LARGEST}: {max(counts.values())}"
        else:
            others = {i: count(df, {i: fact["codes"]}) for i in fact["than"]}
            ok = op(min(counts.values()), max(others.values()))
            observed = f"{LEAST_FIRST}: {min(counts.values())}, {LARGEST_SECOND}: {max(others.values())}"
    elif kind == "complete":
        cb = codebook or load_codebook()
        items = [i.id for i in cb.items if not i.absent_in_pilot and i.id not in fact.get("except", [])]
        n_min = int(df[items].notna().sum().min())
        ok = op(n_min, fact["value"])
        observed = f"{SMALLEST_N}: {n_min}"
    else:
        raise ValueError(f"fact {fact['id']}: unknown kind {kind!r}")
    return _row(fact, observed, MET.get(fact.get("provenance"), "match") if ok else "mismatch")


def _row(fact: dict, observed: str, status: str) -> dict:
    return {
        "fact_id": fact["id"],
        "figure": fact.get("figure"),
        "seed_line": fact.get("seed_line"),
        "reported": fact["reported"],
        "observed": observed,
        "status": status,
    }


def reproduction_table(df: pd.DataFrame, facts: list[dict], codebook: Codebook | None = None,
                       meta: dict | None = None) -> pd.DataFrame:
    """Every reported fact beside its value in ``df``: the reproduction table. Facts about the
    intake description (kind ``intake``) need its ``meta`` and are left out without it."""
    table = pd.DataFrame([check_fact(df, f, codebook, meta) for f in facts
                          if f.get("kind") != "intake" or meta is not None], columns=REPRODUCTION_COLUMNS)
    table["figure"] = table["figure"].astype("Int64")
    table["seed_line"] = table["seed_line"].astype("Int64")
    return table

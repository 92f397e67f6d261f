"""A publication's facts (``reported.yaml``, parsed) as constraints on an intake's answers: the
reproduction table, the GRIM check of its percentages and its universal claims against the
counts (the range of counts its words admit for one item: :mod:`analysis_utils.stats.admissible`).

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

import operator
from dataclasses import dataclass

import pandas as pd

from ..codebook import Codebook, load_codebook, mask
from ..fmt import percent_of, round_half_up

OPS = {"==": operator.eq, ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
REPRODUCTION_COLUMNS = ["fact_id", "figure", "seed_line", "reported", "observed", "status"]
PROVENANCE = ("count", "bound", "quantifier", "contested", "statement", "inferred")
# A fact that holds, named by what it rests on: only a count the thesis gives can be "exact";
# a quantifier reading holds by construction in a reconstruction and confirms nothing; a
# contested statement is held to what both its readings allow; a statement without a count or
# quantifier constrains no count at all.
MET = {"count": "exact", "bound": "within bound", "quantifier": "quantifier reading", "contested": "either reading",
       "statement": "no count stated", "inferred": "assumption"}
HELD = ("match", *MET.values())
# What the observed column says beside a number (English in the CSV; the report words them:
# analysis_utils.present.labels.OBSERVED).
LARGEST, LEAST_FIRST, LARGEST_SECOND = "largest", "least of the first group", "largest of the second"
SMALLEST_N, MOST_FREQUENT = "smallest n", "most frequent"


def count(df: pd.DataFrame, where: dict) -> int:
    """Respondents matching every condition of ``where`` (:func:`analysis_utils.codebook.mask`):

    .. math:: \\#\\{i : x_{iv} \\in C_v \\text{ for every item } v \\text{ of the conditions}\\}

    (a condition ``missing`` or ``answered`` instead of codes :math:`C_v` asks for a missing or a
    given answer): the number a published count is checked against.

    References
    ----------
    The 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk,
    social work), lines 1341–1345 (18 face-to-face and 10 telephone questionnaires: counts of
    this kind).

    Examples
    --------
    >>> df = pd.DataFrame({"q01_gender": [1, 1, 2], "q02_age_band": [5, 4, 6]})
    >>> count(df, {"q01_gender": [1], "q02_age_band": [5, 6]})
    1
    """
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
    """Every base n in [n_min, n_max] at which all the given percentages are k/n for whole k:

    .. math:: \\{n_{min} \\le n \\le n_{max} : \\forall p\\; \\exists k \\in \\{0, \\dots, n\\}:
              \\operatorname{round}(100k/n) = p\\}

    (rounded half up, :func:`grim_consistent`).

    References
    ----------
    Brown, N. J. L., & Heathers, J. A. J. (2017), see :func:`grim_consistent`. The example is
    Figuur 7 of the 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt*
    (eindwerk, social work), lines 1612–1615 (47 % and 32 % of 28 respondents).

    Examples
    --------
    >>> possible_bases([47, 32], n_max=20)
    [19]
    """
    return [n for n in range(n_min, n_max + 1) if all(grim_consistent(p, n) for p in percents)]


def nearest_count(percent: float, n: int) -> int:
    """The whole count of ``n`` whose share is closest to ``percent``,
    :math:`\\arg\\min_{k \\in \\{0, \\dots, n\\}} |100k/n - p|` (on a tie, the smaller count).

    References
    ----------
    Brown, N. J. L., & Heathers, J. A. J. (2017), see :func:`grim_consistent`.

    Examples
    --------
    >>> nearest_count(47, 28)
    13
    """
    return min(range(n + 1), key=lambda j: abs(100 * j / n - percent))


def _fmt_where(where: dict) -> str:
    return " & ".join(f"{k} in {v}" if isinstance(v, list) else f"{k} {v}" for k, v in where.items())


@dataclass(frozen=True)
class Answers:
    """The most frequent answers to one item, by their codes, and how many respondents gave each,

    .. math:: \\{c : n_c = \\max_{c'} n_{c'}\\}, \\qquad \\max_c n_c,

    "4 (9)" in the CSV; a report words the codes as the questionnaire's answers
    (:func:`observed_text`'s ``answers``).

    References
    ----------
    Nuijten et al. (2016), see :func:`check_fact` (the observed value beside the reported one).

    Examples
    --------
    >>> str(Answers("q02_age_band", (4,), 9))
    '4 (9)'
    """
    item: str
    codes: tuple[int, ...]
    count: int

    def __str__(self) -> str:
        return f"{', '.join(map(str, self.codes))} ({self.count})"


@dataclass(frozen=True)
class Compared:
    """A count beside the count it is compared with, :math:`k` against :math:`\#\{i : x_{iv} \in C_v\}`
    (:func:`count`): "14 (q03_civil_status in [1, 4]: 14)" in the CSV; a report words the conditions.

    References
    ----------
    Nuijten et al. (2016), see :func:`check_fact` (the observed value beside the reported one).

    Examples
    --------
    >>> str(Compared(14, (("q03_civil_status", (1, 4)),), 14))
    '14 (q03_civil_status in [1, 4]: 14)'
    """
    count: int
    where: tuple  # ((item, codes), ...): the conditions of the count compared with
    target: int

    def __str__(self) -> str:
        return f"{self.count} ({_fmt_where({k: v if isinstance(v, str) else list(v) for k, v in self.where})}: {self.target})"


# Each check returns (holds, observed): the observed value as parts (a term of :data:`LARGEST` and
# its kin, or None, and the number or the answers), worded at presentation and joined in English
# for the CSV.
Observed = list[tuple[str | None, "str | Answers | Compared"]]


def _check_intake(df: pd.DataFrame, fact: dict, meta: dict) -> tuple[bool, Observed]:
    if "response_percent" in fact:
        value = percent_of(len(df), int(meta["clients_approached"]))
        return value == round_half_up(fact["response_percent"]), [(None, f"{value} % ({len(df)}/{meta['clients_approached']})")]
    value = meta.get(fact["key"])
    return OPS[fact.get("op", "==")](value, fact["value"]), [(None, str(value))]


def _check_count(df: pd.DataFrame, fact: dict) -> tuple[bool, Observed]:
    k = count(df, fact["where"])
    if isinstance(fact.get("admits"), list):  # a word's (or two readings') range, both ends
        low, high = fact["admits"]
        return low <= k <= high, [(None, str(k))]
    op = OPS[fact.get("op", "==")]
    if "value_of" in fact:
        target = count(df, fact["value_of"])
        where = tuple((item, codes if isinstance(codes, str) else tuple(codes)) for item, codes in fact["value_of"].items())
        return op(k, target), [(None, Compared(k, where, target))]
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
    return top == [fact["code"]], [(MOST_FREQUENT, Answers(fact["item"], tuple(sorted(int(c) for c in top)),
                                                           int(counts.max())))]


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

    A count fact holds when :math:`k \\mathbin{op} v` for the :func:`count` :math:`k` (or the
    count of ``value_of``), a percent fact when :math:`\\operatorname{round}(100k/n) = p` at the
    item's :math:`n` (rounded half up), a mode fact when its code alone has the largest count.

    References
    ----------
    Nuijten, M. B., Hartgerink, C. H. J., van Assen, M. A. L. M., Epskamp, S., & Wicherts, J. M.
    (2016). The prevalence of statistical reporting errors in psychology (1985–2013). *Behavior
    Research Methods*, 48(4), 1205–1226 (recomputing what a publication reports). Brown &
    Heathers (2017), see :func:`grim_consistent`. The facts are those of the 2015 bachelor thesis
    *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk, social work).

    Examples
    --------
    >>> df = pd.DataFrame({"q07_help_type": [2] * 13 + [1] * 15})
    >>> fact = {"id": "f", "kind": "percent", "where": {"q07_help_type": [2]}, "percent": 47, "reported": "47 %"}
    >>> row = check_fact(df, fact)
    >>> row["observed"], row["status"]
    ('46 % (13/28)', 'nearest possible')
    """
    kind = fact.get("kind", "count")
    checks = {"intake": lambda: _check_intake(df, fact, meta), "count": lambda: _check_count(df, fact),
              "percent": lambda: _check_percent(df, fact), "mode": lambda: _check_mode(df, fact),
              "group_compare": lambda: _check_groups(df, fact), "group_max": lambda: _check_groups(df, fact),
              "complete": lambda: _check_complete(df, fact, codebook),
              "statement": lambda: (True, [(None, str(count(df, fact["where"])))])}
    if kind not in checks:
        raise ValueError(f"fact {fact['id']}: unknown kind {kind!r}")
    ok, parts = checks[kind]()
    status = ok if isinstance(ok, str) else (MET.get(fact.get("provenance"), "match") if ok else "mismatch")
    return {"fact_id": fact["id"], "figure": fact.get("figure"), "seed_line": fact.get("seed_line"),
            "reported": fact["reported"], "observed": observed_text(parts), "status": status, "observed_parts": parts}


def observed_text(parts: Observed, word=str, answers=str) -> str:
    """The observed value of a fact in words (``word``: how a term is worded; ``answers``: how
    :class:`Answers` are; English and codes as they are): the parts
    :math:`(t_1, x_1), \\dots, (t_m, x_m)` joined as "t_1: x_1, ..., t_m: x_m", a part without a
    term as its :math:`x_j` alone.

    References
    ----------
    Nuijten et al. (2016), see :func:`check_fact` (the observed value beside the reported one).

    Examples
    --------
    >>> observed_text([(LEAST_FIRST, "4"), (LARGEST_SECOND, "2")])
    'least of the first group: 4, largest of the second: 2'
    >>> observed_text([(None, "13")])
    '13'
    >>> observed_text([(MOST_FREQUENT, Answers("q02_age_band", (4,), 9))])
    'most frequent: 4 (9)'
    """
    said = [text if isinstance(text, str) else answers(text) for _term, text in parts]
    return ", ".join(f"{word(term)}: {text}" if term else text for (term, _text), text in zip(parts, said))


def reproduction_table(df: pd.DataFrame, facts: list[dict], codebook: Codebook | None = None,
                       meta: dict | None = None) -> pd.DataFrame:
    """Every reported fact beside its value in ``df``: the reproduction table. Facts about the
    intake description (kind ``intake``) need its ``meta`` and are left out without it.

    ``observed_parts`` keeps the observed value as parts to word (:func:`observed_text`).

    Each row's ``status`` is that of :func:`check_fact`: the fact holds when
    :math:`k \\mathbin{op} v` for its observed count :math:`k` and reported value :math:`v`.

    References
    ----------
    Nuijten et al. (2016) and Brown & Heathers (2017), see :func:`check_fact`; the facts are
    those of the 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt*
    (eindwerk, social work).

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

    ``possible`` is :math:`\\exists k \\in \\{0, \\dots, n\\}: \\operatorname{round}(100k/n) = p`
    (:func:`grim_consistent`), ``nearest`` is :func:`nearest_count`, ``bases`` is
    :func:`possible_bases` of the figure's percentages.

    References
    ----------
    Brown, N. J. L., & Heathers, J. A. J. (2017), see :func:`grim_consistent`. The example is
    Figuur 7 of the 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt*
    (eindwerk, social work), lines 1612–1615 (47 % of 28 is no whole count).

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

    With :math:`k_j` the answers of item :math:`j` in the claim's codes and :math:`n_j` its
    answers, the claim is consistent when :math:`k_j \\mathbin{op} n_j` for every item
    (``op`` "==" unless the claim says otherwise: :math:`k_j = n_j`, everybody).

    References
    ----------
    The 2015 bachelor thesis *De hulpverleningsrelatie door de ogen van de cliënt* (eindwerk,
    social work), lines 1626–1630 ("elke bevraagde cliënt tevreden tot zeer tevreden", Figuur 8)
    and lines 1771–1774 ("Iedere bevraagde respondent ...", then one neutral answer and one
    "eerder niet", Figuur 16).

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

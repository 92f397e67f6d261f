"""Stage 04: how far the data can be trusted, in numbers.

Examples
--------
>>> manski_bounds(27, 28, 40)
(0.675, 0.975)
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .codebook import Codebook
from .descriptives import wilson_interval
from .i18n import N_, _
from .theory import construct_items, load_theory_map

LIMITATION_COLUMNS = ["topic", "quantity", "value", "lower", "upper", "note"]
HEADLINE_FIGURES = [8, 9, 13, 14, 15, 16, 17, 18, 19, 20, 21]
EXACT_UP_TO = 400  # respondents in two groups: the power of Fisher's test is enumerated up to here


def manski_bounds(k: int, n: int, approached: int) -> tuple[float, float]:
    """Worst and best case of a share if every non-respondent had answered negatively or
    positively: (k / N, (k + N - n) / N) for n respondents of N approached."""
    if approached < n:
        raise ValueError(f"{approached} approached is fewer than {n} respondents")
    missing = approached - n
    return k / approached, (k + missing) / approached


def headline_bounds(df: pd.DataFrame, codebook: Codebook, approached: int, lang: str = "en") -> pd.DataFrame:
    """Top-2 share of every relationship item beside its Manski bounds over the clients approached.

    Items that part of the respondents were not asked (the pilot lacked some) count those as
    non-respondents too. Questionnaire v1's goals item is left out: most clients misread it
    (lines 2227-2231), so its share is neither agreement nor disagreement.
    """
    from .cleaning import GOALS_V1

    rows = []
    for fig in HEADLINE_FIGURES:
        for item in codebook.by_figure(fig):
            if item.id == GOALS_V1:
                continue
            col = df[item.id].dropna()
            k, n = int(col.isin(item.top2_codes).sum()), len(col)
            lo, hi = manski_bounds(k, n, approached)
            rows.append({"figure": fig, "item": item.label(lang), "item_id": item.id, "n": n,
                         "observed": k / n, "worst_case": lo, "best_case": hi})
    return pd.DataFrame(rows)


def interval_width(n: int, share: float = 0.5) -> float:
    """Width of the Wilson 95 % interval of a share at n."""
    lo, hi = wilson_interval(round(share * n), n)
    return hi - lo


def rejection_region(n1: int, n2: int, alpha: float = 0.05) -> np.ndarray:
    """Boolean (n1 + 1) x (n2 + 1) matrix: True where Fisher's exact test (two-sided) rejects at
    ``alpha`` for k1 of n1 against k2 of n2 positive answers.

    Fisher's test conditions on the total t = k1 + k2, under which k1 is hypergeometric; the
    two-sided p sums the probabilities of every table no more likely than the one observed
    (with scipy's relative tolerance of 1e-7). One vectorised step per total, instead of one
    ``scipy.stats.fisher_exact`` call per cell (the unit test checks they agree cell by cell).
    """
    from scipy.stats import hypergeom

    region = np.zeros((n1 + 1, n2 + 1), dtype=bool)
    for t in range(n1 + n2 + 1):
        k1 = np.arange(max(0, t - n2), min(n1, t) + 1)
        prob = hypergeom.pmf(k1, n1 + n2, n1, t)
        ordered = np.sort(prob)
        p = np.cumsum(ordered)[np.searchsorted(ordered, prob * (1 + 1e-7), side="right") - 1]
        region[k1, t - k1] = p < alpha
    return region


def exact_power(p1: float, p2: float, n1: int, n2: int, region: np.ndarray | None = None, alpha: float = 0.05) -> float:
    """Power of Fisher's exact test for true shares p1 (n1) and p2 (n2), by enumerating every
    outcome (k1, k2) with its binomial probability."""
    from scipy.stats import binom

    region = rejection_region(n1, n2, alpha) if region is None else region
    return float(binom.pmf(np.arange(n1 + 1), n1, p1) @ region @ binom.pmf(np.arange(n2 + 1), n2, p2))


def minimal_detectable_difference(n1: int, n2: int, base: float = 0.5, power: float = 0.8, alpha: float = 0.05) -> dict:
    """The smallest drop from the share ``base`` (in the first group) to a lower share in the
    second that Fisher's exact test detects with the given power (two-sided), found by exact
    enumeration on a grid of 0.001 — not the normal approximation, which at these n promises
    more than it holds. ``share_to`` is NaN when no drop, down to 0, reaches the power.

    Above ``EXACT_UP_TO`` respondents in the two groups together the normal approximation
    (Cohen's h, statsmodels) is used instead: there it holds, and enumeration would cost seconds.

    Also Cohen's d for two groups of scores with the t-test's power (pingouin), for orientation.
    """
    import pingouin as pg

    d = float(pg.power_ttest2n(nx=n1, ny=n2, power=power, alpha=alpha))
    if n1 + n2 > EXACT_UP_TO:
        from statsmodels.stats.power import NormalIndPower

        h = NormalIndPower().solve_power(effect_size=None, nobs1=n1, ratio=n2 / n1, alpha=alpha, power=power)
        share_to = math.sin(max(math.asin(math.sqrt(base)) - h / 2, 0)) ** 2
        return {"share_from": base, "share_to": share_to, "difference": base - share_to, "cohen_h": h,
                "cohen_d": d, "test": "normal approximation (Cohen's h)"}
    from scipy.stats import binom

    region = rejection_region(n1, n2, alpha)
    grid = np.round(np.arange(base, -0.0005, -0.001), 3)  # downwards from the observed share
    powers = (binom.pmf(np.arange(n1 + 1), n1, base) @ region) @ binom.pmf(np.arange(n2 + 1)[:, None], n2, grid)
    reached = np.flatnonzero(powers >= power)  # every grid point at once: exact_power, vectorised
    share_to = float(grid[reached[0]]) if len(reached) else float("nan")
    h = (2 * math.asin(math.sqrt(base)) - 2 * math.asin(math.sqrt(share_to))) if share_to == share_to else float("nan")
    return {"share_from": base, "share_to": share_to, "difference": base - share_to, "cohen_h": h,
            "cohen_d": d, "test": "Fisher's exact, power by enumeration"}


def load_limits() -> list[dict]:
    """What the thesis says about its own limits (``resources/limits.yaml``): id, seed_line,
    verbatim Dutch quote, and the limit in English and Dutch."""
    from importlib import resources

    from .yamlio import load_yaml

    text = resources.files("analysis_utils").joinpath("resources/limits.yaml").read_text("utf-8")
    return load_yaml(text)["limits"]


def pilot_sensitivity(df: pd.DataFrame, codebook: Codebook, lang: str = "en", reconstructed: bool = False) -> pd.DataFrame:
    """The headline items the pilot questionnaires answered, with and without the pilots: the
    top-2 share of all respondents beside that of the main questionnaire alone.

    For a reconstructed intake which answers the pilots gave is invented, so beside the
    reconstruction's value stand the lowest and highest share without the pilots that any
    arrangement of the item's answers allows: dropping p of n respondents removes between
    max(0, p - (n - k)) and min(p, k) of the k positive answers.
    """
    pilot = df["pilot"].astype(bool) if "pilot" in df else pd.Series(False, index=df.index)
    rows = []
    for fig in HEADLINE_FIGURES:
        for item in codebook.by_figure(fig):
            if item.absent_in_pilot or item.id not in df:
                continue
            col = df[item.id]
            answered = col.notna()
            p = int((answered & pilot).sum())
            if not p:
                continue
            k, n = int(col.isin(item.top2_codes).sum()), int(answered.sum())
            main = col[answered & ~pilot]
            row = {"figure": fig, "item": item.label(lang), "item_id": item.id, "n_all": n, "n_pilot": p,
                   "share_all": k / n, "share_main_only": float(main.isin(item.top2_codes).mean())}
            row["difference"] = row["share_main_only"] - row["share_all"]
            if reconstructed:
                row["main_only_lowest"] = (k - min(p, k)) / (n - p)
                row["main_only_highest"] = (k - max(0, p - (n - k))) / (n - p)
            rows.append(row)
    return pd.DataFrame(rows)


def ceiling_table(summary: pd.DataFrame, codebook: Codebook, lang: str = "en") -> pd.DataFrame:
    """Share at each rated item's most positive answer, highest first (not v1's misread goals
    item, whose most positive answer nobody can name)."""
    from .cleaning import GOALS_V1

    rated = summary.dropna(subset=["ceiling_share"])
    rated = rated[rated["item_id"] != GOALS_V1].copy()
    rated["item"] = [codebook.item(i).label(lang) for i in rated["item_id"]]
    return rated[["figure", "item_id", "item", "n", "ceiling_share"]].sort_values(
        "ceiling_share", ascending=False, kind="stable").reset_index(drop=True)


def goals_read_both_ways(df: pd.DataFrame, codebook: Codebook) -> dict | None:
    """The negatively worded goals item read as coded and read the other way round; None for a
    questionnaire version that asks about the same goals (v2)."""
    if "q17_different_goals" not in codebook.item_ids:
        return None
    item = codebook.item("q17_different_goals")
    col = df[item.id].dropna()
    as_coded = int(col.isin(item.top2_codes).sum())
    other_way = int(col.isin([c for c in item.scale.codes if c not in item.top2_codes and c != item.scale.neutral]).sum())
    author = int((col != item.scale.neutral).sum())  # line 1787: every answer but a neutral one
    return {"n": len(col), "same_goals_as_coded": as_coded, "same_goals_read_other_way": other_way,
            "same_goals_author_reading": author}


def coverage_matrix(codebook: Codebook, lang: str = "en") -> pd.DataFrame:
    """Constructs x items, 1 where the theory map links the item to the construct."""
    constructs = load_theory_map()["constructs"]
    items = sorted({i for c in constructs for i in construct_items(c, codebook)},
                   key=codebook.item_ids.index)
    rows = {}
    for c in constructs:
        linked = set(construct_items(c, codebook))
        rows[c["name_nl"] if lang == "nl" else c["name_en"]] = [int(i in linked) for i in items]
    return pd.DataFrame.from_dict(rows, orient="index", columns=[codebook.item(i).label(lang) for i in items])


def reliability_items(codebook: Codebook) -> list[str]:
    """The relationship items of the headline figures that every questionnaire asked."""
    return [i.id for f in HEADLINE_FIGURES for i in codebook.by_figure(f) if not i.absent_in_pilot]


def _reliability_scores(values: np.ndarray, codebook: Codebook) -> np.ndarray:
    """The answers to :func:`reliability_items` (columns in that order), positively oriented."""
    items = reliability_items(codebook)
    scales = [codebook.item(i).scale.codes for i in items]
    turned = np.array([codebook.item(i).reversed for i in items])
    flipped = np.array([c[0] + c[-1] for c in scales], dtype=float) - values
    return np.where(turned, flipped, values)


def reliability(df: pd.DataFrame, codebook: Codebook) -> float:
    """Cronbach's alpha (pingouin) over the positively oriented relationship items answered by all."""
    import pingouin as pg

    items = reliability_items(codebook)
    values = df[items].to_numpy(dtype=float, na_value=np.nan)
    scores = pd.DataFrame(_reliability_scores(values, codebook), columns=items)
    return float(pg.cronbach_alpha(data=scores)[0])


def satisfaction_trust_correlation(df: pd.DataFrame) -> float:
    """Spearman correlation of satisfaction (Figuur 8) with the bond of trust (Figuur 9)."""
    return float(df["q08_satisfaction"].astype(float).corr(df["q09_trust_bond"].astype(float), method="spearman"))


def _ensemble_statistics(codebook: Codebook) -> dict:
    """The joint results the reconstructions are summarised on: name -> (statistic on a frame,
    the columns it reads, the same statistic on an array of those columns without missing
    answers: :func:`~analysis_utils.inference.ensemble_range` uses it to skip the frames)."""
    from .identification import cronbach_alpha, spearman
    from .theory import any_threshold_share, threshold_items

    return {
        N_("Cronbach's alpha of the relationship items"): (
            lambda d: reliability(d, codebook), reliability_items(codebook),
            lambda a: cronbach_alpha(_reliability_scores(a, codebook))),
        N_("Spearman correlation satisfaction × bond of trust"): (
            satisfaction_trust_correlation, ["q08_satisfaction", "q09_trust_bond"],
            lambda a: spearman(a[:, 0], a[:, 1])),
        N_("share naming at least one threshold emotion"): (
            any_threshold_share, threshold_items(), lambda a: np.isin(a, [4, 5]).any(axis=1).mean()),
    }


def dependence_table(df: pd.DataFrame, codebook: Codebook, ensemble: pd.DataFrame | None, subgroups: pd.DataFrame | None,
                     summary: pd.DataFrame | None = None, identification: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which results the published figures fix, and which depend on the reconstruction.

    For an intake that is not reconstructed every value is observed (lower = upper = value).
    With the item ``summary`` (its ``provenance`` column), the single-item shares are split into
    those the thesis gives or fixes and those it only words (a quantifier) or leaves open.
    With the ``identification`` table (stage 01), ``lower`` and ``upper`` of a joint result are
    its identified range — what any arrangement of the published answers allows — and ``sharp``
    says whether that range is proven; the seeded reconstructions only add ``if unrelated``, the
    typical spread if the items were unrelated.
    """
    from .inference import ensemble_range
    from .theory import construct_table

    if summary is not None and "provenance" in summary and (summary["provenance"] != "data").any():
        rated = summary[summary["admissible_low"].notna()]
        fixed = rated[rated["admissible_low"] == rated["admissible_high"]]
        loose = rated[rated["admissible_low"] != rated["admissible_high"]]
        rows = [{"result": _("single-item top-2 shares the thesis gives or fixes ({k} items)").format(k=len(fixed)),
                 "fixed by the publication": True, "value": _("as reported"), "lower": None, "upper": None},
                {"result": _("single-item top-2 shares only worded ('het merendeel', 'enkele') or left open ({k} "
                             "items)").format(k=len(loose)),
                 "fixed by the publication": len(loose) == 0, "value": _("the reconstruction's reading of the words"),
                 "lower": None, "upper": None}]
    else:
        rows = [{"result": _("every single-item count and share (Figuur 1–23)"), "fixed by the publication": True,
                 "value": _("as reported"), "lower": None, "upper": None}]
    ct = construct_table(df, codebook)
    measured = ct[ct["n_items"] > 0]
    worded = any(not r["fixed by the publication"] for r in rows)  # construct shares pool such items too
    rows.append({"result": _("construct shares (pooled answers per construct)"), "fixed by the publication": not worded,
                 "value": f"{measured['positive_share'].min():.3f}–{measured['positive_share'].max():.3f}",
                 "lower": None, "upper": None})
    if ensemble is not None:
        rows.append({"result": _("respondent-level intervals of the construct shares"), "fixed by the publication": False,
                     "value": _("depend on who gave which answer: chapter 03 gives the widest and narrowest any "
                                "arrangement allows"), "lower": None, "upper": None})
    ident = None if identification is None else identification.drop_duplicates("quantity").set_index("quantity")
    for name, (fn, columns, on_array) in _ensemble_statistics(codebook).items():
        if ensemble is not None or ident is not None:
            row = {"result": _(name), "fixed by the publication": False, "value": f"{fn(df):.3f}", "lower": None, "upper": None}
            if ident is not None and name in ident.index:
                r = ident.loc[name]
                row.update(lower=float(r["lower"]), upper=float(r["upper"]), sharp=bool(r["sharp"]))
            if ensemble is not None:
                lo, _m, hi = ensemble_range(ensemble, fn, columns, on_array)
                row["if unrelated"] = _("{low:.2f} to {high:.2f}").format(low=lo, high=hi)
                if row["lower"] is None:  # no identified range: the spread over reconstructions
                    row.update(lower=lo, upper=hi)
            rows.append(row)
        else:
            v = fn(df)
            rows.append({"result": _(name), "fixed by the publication": True, "value": f"{v:.3f}", "lower": v, "upper": v})
    if identification is not None:  # one effect-size scale per row
        for name, label in (("rank-biserial", N_("sub-group rank-biserial correlations ({k} comparisons)")),
                            ("epsilon²", N_("sub-group epsilon² ({k} comparisons)"))):
            part = identification[identification["quantity"].str.startswith(name + ":")]
            if len(part):
                rows.append({"result": _(label).format(k=len(part)), "fixed by the publication": False,
                             "value": _("{low:.2f} to {high:.2f}").format(low=part["value_in_reconstruction"].min(),
                                                                          high=part["value_in_reconstruction"].max()),
                             "lower": float(part["lower"].min()), "upper": float(part["upper"].max()),
                             "sharp": bool(part["sharp"].all())})
    elif subgroups is not None and ensemble is not None and len(subgroups):
        rows.append({"result": _("largest sub-group effect size (any grouping, any outcome)"), "fixed by the publication": False,
                     "value": _("{v:.3f} (median)").format(v=subgroups["effect_median"].abs().max()),
                     "lower": float(subgroups["effect_min"].min()), "upper": float(subgroups["effect_max"].max())})
    return pd.DataFrame(rows)


def _flag(value) -> bool | None:
    """A yes/no cell that may be empty (NaN, None) as True, False or None."""
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else bool(value)


def dependence_view(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`dependence_table` for reading: the lowest and highest value the published figures
    allow in one column ("-0.27 to 1.00"), so that the table fits the page."""
    t = table.copy()
    t.insert(list(t.columns).index("lower"), "allowed", [
        _("{low:.2f} to {high:.2f}").format(low=lo, high=hi) if pd.notna(lo) and pd.notna(hi) else ""
        for lo, hi in zip(t["lower"], t["upper"])])
    return t.drop(columns=["lower", "upper"])


def limitations_table(response: dict, bounds: pd.DataFrame, precision: list[dict], ceiling: pd.DataFrame,
                      goals: dict, nationality: dict, coverage: pd.DataFrame, dependence: pd.DataFrame) -> pd.DataFrame:
    """Every number of the limitations chapter in one tidy table (``limitations.csv``)."""
    rows = [{"topic": "response", "quantity": "response rate", "value": response["rate"],
             "lower": None, "upper": None, "note": f"{response['n']} of {response['approached']} approached"}]
    for _, r in bounds.iterrows():
        rows.append({"topic": "non-response (Manski bounds)", "quantity": f"top-2 share: {r['item_id']}",
                     "value": r["observed"], "lower": r["worst_case"], "upper": r["best_case"], "note": f"n = {r['n']}"})
    for p in precision:
        rows.append({"topic": "precision", "quantity": p["quantity"], "value": p["value"], "lower": None, "upper": None,
                     "note": p["note"]})
    for _, r in ceiling.iterrows():
        rows.append({"topic": "ceiling", "quantity": f"share at the most positive answer: {r['item_id']}",
                     "value": r["ceiling_share"], "lower": None, "upper": None, "note": f"n = {r['n']}"})
    if goals is not None:
        rows.append({"topic": "reversed goals item", "quantity": "same goals as coded", "value": goals["same_goals_as_coded"],
                     "lower": None, "upper": None, "note": f"of n = {goals['n']}"})
        rows.append({"topic": "reversed goals item", "quantity": "same goals if read the other way",
                     "value": goals["same_goals_read_other_way"], "lower": None, "upper": None, "note": f"of n = {goals['n']}"})
        rows.append({"topic": "reversed goals item", "quantity": "same goals as the author reads them (line 1787)",
                     "value": goals["same_goals_author_reading"], "lower": None, "upper": None, "note": f"of n = {goals['n']}"})
    rows.append({"topic": "representativeness", "quantity": "share with Belgian nationality", "value": nationality["share"],
                 "lower": nationality["ci_low"], "upper": nationality["ci_high"], "note": f"{nationality['k']} of {nationality['n']}"})
    for construct, row in coverage.iterrows():
        rows.append({"topic": "construct coverage", "quantity": f"items measuring: {construct}", "value": int(row.sum()),
                     "lower": None, "upper": None, "note": ""})
    for _, r in dependence.iterrows():
        rows.append({"topic": "dependence on the reconstruction", "quantity": r["result"], "value": r["value"],
                     "lower": r["lower"], "upper": r["upper"],
                     "note": "fixed by the publication" if r["fixed by the publication"] else
                     {True: "the range the published figures allow", False: "a range the published figures allow "
                      "at least"}.get(_flag(r.get("sharp")), "range over random reconstructions")})
    return pd.DataFrame(rows, columns=LIMITATION_COLUMNS)

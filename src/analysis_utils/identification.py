"""What the publication allows for results that depend on how answers combine: identified ranges.

For an intake reconstructed from a publication, each item's distribution is (mostly) fixed, but
who gave which answer is not. A result that combines answers — a correlation, Cronbach's alpha,
"names at least one threshold emotion", a sub-group effect size — can take any value that some
arrangement of the answers gives. This module finds the smallest and largest such value, by
method:

- ``Fréchet–Hoeffding``: the comonotone (same order) and countermonotone (opposite order)
  arrangements, which are the extremes of a correlation and of "at least one of" (exact);
- ``milp``: integer programming with ``scipy.optimize.milp`` (HiGHS), exact for the problem posed;
- ``search``: a local search over swaps of answers between respondents, started from the
  structured arrangement; it finds a value that some arrangement reaches, so the true range is at
  least as wide, and the row says ``sharp = False``.

Arrangements keep every item's answers (the reconstruction's own marginals), which respondents
answered which item (the pilots lacked some items), the grouping variables, and every cell that a
published fact ties to another variable (e.g. "the one who answered 'eerder niet' is a woman").

Examples
--------
>>> import numpy as np
>>> at_least_one_bounds([3, 5, 2], 10)
(0.5, 1.0)
>>> lo, hi = spearman_bounds(np.array([1, 2, 3, 4.]), np.array([2, 2, 5, 5.]))
>>> round(lo, 3), round(hi, 3)
(-0.894, 0.894)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .codebook import Codebook
from .i18n import N_

IDENTIFICATION_COLUMNS = ["quantity", "chapter", "value_in_reconstruction", "lower", "upper", "method", "sharp",
                          "marginals"]
IDENTIFICATION_FILE = "identification.csv"
# identification.csv is processed data, in English for every report language; these are the terms
# its quantities and methods are made of, which the Dutch report shows translated.
TERMS = (N_("Cronbach's alpha"), N_("rank-biserial"), N_("epsilon²"), N_("satisfaction"),
         N_("share naming at least one threshold emotion"), N_("Spearman correlation satisfaction × bond of trust"),
         N_("Cronbach's alpha of the relationship items"), N_("Fréchet–Hoeffding"), N_("sorted assignment"),
         N_("search (swaps between groups)"), N_("Fréchet–Hoeffding (largest); balancing search (smallest)"))
AT_RECONSTRUCTION = "the reconstruction's own item counts"
ADMISSIBLE = "every item count the publication admits"


# --- the statistics, on plain arrays -----------------------------------------------------------------

def cronbach_alpha(scores: np.ndarray) -> float:
    """Cronbach's alpha of a respondents x items matrix without missing values (pingouin's
    formula: k / (k - 1) * (1 - sum of item variances / variance of the total))."""
    k = scores.shape[1]
    total = scores.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - scores.var(axis=0, ddof=1).sum() / total)) if total > 0 else float("-inf")


def rank_biserial(first: np.ndarray, second: np.ndarray) -> float:
    """2U / (n1 n2) - 1 for the first group against the second (ties count half)."""
    diff = first[:, None] - second[None, :]
    u = (diff > 0).sum() + 0.5 * (diff == 0).sum()
    return float(2 * u / (len(first) * len(second)) - 1)


def _average_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mid-ranks of ``values`` (ties share their average rank) and the size of each tie."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    top = np.cumsum(counts)
    return (top - (counts - 1) / 2)[inverse], counts


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho of two answer vectors without missing values: Pearson's r of their mid-ranks
    (as scipy and pandas)."""
    return float(np.corrcoef(_average_ranks(x)[0], _average_ranks(y)[0])[0, 1])


def epsilon_squared(groups: list[np.ndarray]) -> float:
    """Kruskal-Wallis H / (n - 1), H with the tie correction (as scipy and pingouin)."""
    values = np.concatenate(groups)
    n = len(values)
    ranks, counts = _average_ranks(values)
    bounds = np.cumsum([0] + [len(g) for g in groups])
    h = sum(ranks[a:b].sum() ** 2 / (b - a) for a, b in zip(bounds[:-1], bounds[1:]))
    h = 12 / (n * (n + 1)) * h - 3 * (n + 1)
    correction = 1 - (counts ** 3 - counts).sum() / (n ** 3 - n)
    return float(h / correction / (n - 1)) if correction > 0 else 0.0


# --- exact bounds ------------------------------------------------------------------------------------

def at_least_one_bounds(counts: list[int], n: int) -> tuple[float, float]:
    """Share of n respondents with at least one of several events, each held by counts[j] of
    them: lowest when the events nest in the same people (max count), highest when they fall on
    different people (sum, at most n). Exact when every respondent answered every item."""
    return max(counts) / n, min(n, sum(counts)) / n


def spearman_bounds(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Smallest and largest Spearman correlation over all pairings of two fixed sets of answers:
    the countermonotone and the comonotone pairing (rearrangement inequality on mid-ranks)."""
    from scipy.stats import spearmanr

    xs, ys = np.sort(x), np.sort(y)
    return float(spearmanr(xs, ys[::-1])[0]), float(spearmanr(xs, ys)[0])


# --- arrangements ---------------------------------------------------------------------------------------

def locked_cells(df: pd.DataFrame, items: list[str], facts: list[dict]) -> dict[str, np.ndarray]:
    """Per item, the rows whose answer a published fact ties to another variable (a fact whose
    ``where`` names the item and something else): these cells stay as they are."""
    from .facts import mask

    locked = {i: np.zeros(len(df), dtype=bool) for i in items}
    for f in facts:
        where = f.get("where") or {}
        if len(where) < 2:
            continue
        rows = mask(df, where).to_numpy(dtype=bool)
        for item in set(where) & set(items):
            locked[item] |= rows
    return locked


class Arrangement:
    """Oriented answers of several items (respondents x items, NaN where not answered) with the
    cells that may move; answers move only by swapping within an item. Each respondent's sum
    and number of answers are kept up to date."""

    def __init__(self, values: np.ndarray, movable: np.ndarray):
        self.values = values.astype(float).copy()
        self.movable = movable & ~np.isnan(values)
        self.answered = (~np.isnan(self.values)).sum(axis=1)
        self.sums = np.nansum(self.values, axis=1)

    def scores(self) -> np.ndarray:
        """Mean of each respondent's answered items (NaN for none)."""
        return np.where(self.answered > 0, self.sums / np.maximum(self.answered, 1), np.nan)

    def sort_items(self, order: np.ndarray, descending: bool = True, items=None) -> "Arrangement":
        """Within every item (or those of ``items``), give the movable answers to the movable
        rows in ``order``: the first rows get the highest (or lowest) answers."""
        for j in (range(self.values.shape[1]) if items is None else items):
            rows = [i for i in order if self.movable[i, j]]
            vals = np.sort(self.values[rows, j])
            self.values[rows, j] = vals[::-1] if descending else vals
        self.sums = np.nansum(self.values, axis=1)
        return self

    def climb(self, batch, allowed: np.ndarray | None = None, steps: int = 500) -> float:
        """Steepest ascent: among every swap of one item's answers between two rows (``allowed``:
        an n x n mask of row pairs that may swap), make the one that raises ``batch`` most, until
        none does. ``batch(scores)`` takes candidates x respondents mean scores and returns one
        value per candidate; return the value reached."""
        n, k = self.values.shape
        allowed = np.ones((n, n), dtype=bool) if allowed is None else allowed
        best = float(batch(self.scores()[None, :])[0])
        for _ in range(steps):
            choice = None
            base = self.scores()
            for j in range(k):
                col = self.values[:, j]
                ok = allowed & self.movable[:, j][:, None] & self.movable[:, j][None, :] & (col[:, None] != col[None, :])
                a, b = np.nonzero(np.triu(ok | ok.T, 1))
                if not len(a):
                    continue
                step = col[b] - col[a]  # row a receives b's answer and the other way round
                cand = np.repeat(base[None, :], len(a), axis=0)
                idx = np.arange(len(a))
                cand[idx, a] += step / self.answered[a]
                cand[idx, b] -= step / self.answered[b]
                values = batch(cand)
                i = int(np.argmax(values))
                if values[i] > best + 1e-12 and (choice is None or values[i] > choice[0]):
                    choice = (float(values[i]), j, a[i], b[i])
            if choice is None:
                break
            best, j, a, b = choice
            col = self.values[:, j]
            step = col[b] - col[a]
            col[a], col[b] = col[b], col[a]
            self.sums[a] += step
            self.sums[b] -= step
        return best


def alpha_bounds(values: np.ndarray, movable: np.ndarray) -> tuple[float, float, bool]:
    """Smallest and largest Cronbach's alpha over the arrangements of complete answers
    (respondents x items, no NaN). Largest: every item in the same order (comonotone). Smallest:
    for two items the opposite order (countermonotone); for more, the totals as even as possible —
    the arrangement that balances them, improved by swaps, exact when it reaches the most even
    totals the sum allows, else the integer programme of :func:`most_even_totals`. Both ends are exact only without locked cells (with them, the
    arrangement found is reachable, and improved by swaps). Returns (lower, upper, exact)."""
    n, k = values.shape
    order = np.arange(n)

    def spread(sign):  # alpha rises with the variance of the totals (= k x the mean scores)
        return lambda scores: sign * scores.var(axis=1)

    top = Arrangement(values, movable).sort_items(order)
    if not movable.all():
        top.climb(spread(1))
    upper = cronbach_alpha(top.values)
    arr = Arrangement(values, movable)
    if k == 2:
        arr.sort_items(order, descending=True, items=[0]).sort_items(order, descending=False, items=[1])
    else:  # the largest answers of each item to the respondents with the smallest totals so far
        work = arr.values
        fixed = np.where(arr.movable, 0, work).sum(axis=1)
        for j in np.argsort(-work.var(axis=0)):
            rows = np.flatnonzero(arr.movable[:, j])
            vals = np.sort(work[rows, j])[::-1]
            by_total = rows[np.argsort(fixed[rows], kind="stable")]
            work[by_total, j] = vals
            fixed[by_total] += vals
        arr.sums = work.sum(axis=1)
    arr.climb(spread(-1))
    total = arr.values.sum(axis=1)
    s = total.sum()
    even = np.full(n, s // n)
    even[: int(s - even.sum())] += 1
    lower = cronbach_alpha(arr.values)
    lower_exact = bool(np.isclose(total.var(), even.var())) or (k == 2 and bool(movable.all()))
    if not lower_exact and k > 2:  # the search did not reach the most even totals: integer programming
        best, optimal = most_even_totals(values, movable)
        if best is not None and cronbach_alpha(best) <= lower:
            lower, lower_exact = cronbach_alpha(best), optimal
    return lower, upper, lower_exact and bool(movable.all())  # the comonotone top is proven only without locks


def most_even_totals(values: np.ndarray, movable: np.ndarray, time_limit: float = 5.0) -> tuple[np.ndarray | None, bool]:
    """The arrangement of integer answers (respondents x items, no NaN) whose totals are as even
    as possible (smallest sum of squared totals), by integer programming (``scipy.optimize.milp``,
    HiGHS). Returns (values, proven optimal); the values are None when no solution was found
    within ``time_limit`` seconds.

    Respondents with the same movable items and the same locked total are interchangeable, so the
    programme counts how many of each such class get each pattern of answers
    (:func:`_even_by_pattern`): no two solutions differ only by swapping respondents, and HiGHS
    proves the optimum in milliseconds. Where the patterns are too many (many items with many
    answers) it assigns answer by answer (:func:`_even_by_cell`)."""
    found = _even_by_pattern(values, movable, time_limit)
    return found if found is not None else _even_by_cell(values, movable, time_limit)


def _even_by_pattern(values: np.ndarray, movable: np.ndarray, time_limit: float,
                     max_patterns: int = 50_000) -> tuple[np.ndarray | None, bool] | None:
    """y[c, p] = how many respondents of class c get answer pattern p (over the class's movable
    items); each class is filled, each item keeps its count of every answer, and the cost of a
    pattern is its squared total. None when there would be more than ``max_patterns`` patterns."""
    import itertools

    from scipy.optimize import LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n, k = values.shape
    fixed = np.where(movable, 0, values).sum(axis=1)
    options = [np.unique(values[movable[:, j], j]) for j in range(k)]
    classes: dict[tuple, list[int]] = {}
    for i in range(n):
        classes.setdefault((tuple(bool(x) for x in movable[i]), float(fixed[i])), []).append(i)
    columns = []  # (class, {item: answer})
    for key in classes:
        items = [j for j in range(k) if key[0][j]]
        if len(columns) + int(np.prod([len(options[j]) for j in items])) > max_patterns:
            return None
        columns += [(key, dict(zip(items, combo))) for combo in itertools.product(*(options[j] for j in items))]
    class_row = {key: r for r, key in enumerate(classes)}
    count_row = {(j, v): len(classes) + r for r, (j, v) in enumerate((j, v) for j in range(k) for v in options[j])}
    rows, cols = [], []
    for c, (key, pattern) in enumerate(columns):
        rows += [class_row[key], *(count_row[(j, v)] for j, v in pattern.items())]
        cols += [c] * (1 + len(pattern))
    bound = np.zeros(len(class_row) + len(count_row))
    for key, r in class_row.items():
        bound[r] = len(classes[key])
    for (j, v), r in count_row.items():
        bound[r] = int(np.sum(values[movable[:, j], j] == v))
    A = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(bound), len(columns))).tocsr()
    cost = np.array([(key[1] + sum(pattern.values())) ** 2 for key, pattern in columns], dtype=float)
    res = milp(cost, constraints=LinearConstraint(A, bound, bound), integrality=np.ones(len(cost)),
               bounds=(0, n), options={"time_limit": time_limit})
    if res.x is None:
        return None, False
    out = values.astype(float).copy()
    free = {key: list(members) for key, members in classes.items()}
    for c, (key, pattern) in enumerate(columns):
        for _ in range(int(round(res.x[c]))):
            i = free[key].pop(0)
            for j, v in pattern.items():
                out[i, j] = v
    return out, res.status == 0


def _even_by_cell(values: np.ndarray, movable: np.ndarray, time_limit: float) -> tuple[np.ndarray | None, bool]:
    """The same programme cell by cell: x[i, j, v] = 1 when respondent i gets answer v on item j,
    each item keeps its count of every answer, and each respondent's total climbs a staircase of
    unit steps whose costs (2t - 1) rise, so their sum is the squared total."""
    from scipy.optimize import LinearConstraint, milp
    from scipy.sparse import lil_matrix

    n, k = values.shape
    fixed = np.where(movable, 0, values).sum(axis=1)
    cells = [(i, j, v) for j in range(k) for v in np.unique(values[movable[:, j], j]) for i in range(n) if movable[i, j]]
    lo = fixed + np.array([sum(values[movable[:, j], j].min() for j in range(k) if movable[i, j]) for i in range(n)])
    hi = fixed + np.array([sum(values[movable[:, j], j].max() for j in range(k) if movable[i, j]) for i in range(n)])
    steps = [(i, t) for i in range(n) for t in range(int(lo[i]) + 1, int(hi[i]) + 1)]
    nx = len(cells)
    cost = np.concatenate([np.zeros(nx), [2 * t - 1 for _, t in steps]])
    cell_rows = {(i, j): r for r, (i, j) in enumerate(sorted({(i, j) for i, j, _ in cells}))}
    count_rows = {(j, v): r for r, (j, v) in enumerate(sorted({(j, v) for _, j, v in cells}))}
    m1, m2 = len(cell_rows), len(count_rows)
    A = lil_matrix((m1 + m2 + n, nx + len(steps)))
    lb, ub = np.zeros(m1 + m2 + n), np.zeros(m1 + m2 + n)
    lb[:m1] = ub[:m1] = 1  # one answer per movable cell
    for (j, v), r in count_rows.items():
        lb[m1 + r] = ub[m1 + r] = int(np.sum(values[movable[:, j], j] == v))  # each item keeps its answers
    for c, (i, j, v) in enumerate(cells):
        A[cell_rows[(i, j)], c] = 1
        A[m1 + count_rows[(j, v)], c] = 1
        A[m1 + m2 + i, c] = v  # the total of respondent i ...
    for c, (i, t) in enumerate(steps):
        A[m1 + m2 + i, nx + c] = -1  # ... equals its lowest total plus its steps
    lb[m1 + m2:] = ub[m1 + m2:] = lo - fixed
    res = milp(cost, constraints=LinearConstraint(A.tocsr(), lb, ub), integrality=np.ones(len(cost)),
               bounds=(0, 1), options={"time_limit": time_limit})
    if res.x is None:
        return None, False
    out = values.astype(float).copy()
    for c, (i, j, v) in enumerate(cells):
        if res.x[c] > 0.5:
            out[i, j] = v
    return out, res.status == 0


def _batch_rank_biserial(first: np.ndarray, second: np.ndarray):
    def stat(scores):
        diff = scores[:, first][:, :, None] - scores[:, second][:, None, :]
        u = (diff > 0).sum(axis=(1, 2)) + 0.5 * (diff == 0).sum(axis=(1, 2))
        return 2 * u / (len(first) * len(second)) - 1
    return stat


def _batch_epsilon_squared(members: list[np.ndarray]):
    rows = np.concatenate(members)
    n = len(rows)

    def stat(scores):
        s = scores[:, rows]
        greater = (s[:, :, None] > s[:, None, :]).sum(axis=2)
        equal = (s[:, :, None] == s[:, None, :]).sum(axis=2)
        ranks = greater + (equal + 1) / 2  # mid-ranks
        h, start = 0.0, 0
        for m in members:
            h = h + ranks[:, start:start + len(m)].sum(axis=1) ** 2 / len(m)
            start += len(m)
        h = 12 / (n * (n + 1)) * h - 3 * (n + 1)
        correction = 1 - (equal ** 2 - 1).sum(axis=1) / (n ** 3 - n)
        return np.where(correction > 0, h / np.where(correction > 0, correction, 1), 0) / (n - 1)
    return stat


def effect_bounds(values: np.ndarray, movable: np.ndarray, groups: np.ndarray, levels: list[str]) -> tuple[float, float, bool]:
    """Smallest and largest sub-group effect size (rank-biserial for two ``levels``, first against
    second; epsilon² for more) of the respondents' mean scores over the arrangements. Start from
    the arrangements that give one group the highest answers of every item (each order of the
    groups) and from the reconstruction itself, then climb by swaps. Exact for one item without locked cells and two
    groups (the sorted assignment is then optimal) and where the effect reaches its limit (±1)."""
    answered = ~np.isnan(values).all(axis=1)
    member = [np.flatnonzero((groups == lvl) & answered) for lvl in levels]
    rest = np.setdiff1d(np.arange(len(groups)), np.concatenate(member))
    two = len(levels) == 2
    stat = _batch_rank_biserial(*member) if two else _batch_epsilon_squared(member)
    if two:  # the group that should come out higher gets the highest answers; and as reconstructed
        plan = {1: [member, None], -1: [member[::-1], None]}
    else:  # the largest effect: each group in the middle once; the smallest: from the reconstruction
        perms = ([0, 1, 2], [1, 0, 2], [0, 2, 1]) if len(levels) == 3 else [list(range(len(levels)))]
        plan = {1: [[member[i] for i in p] for p in perms] + [None], -1: [None]}
    found = {}
    for sign, starts in plan.items():
        best = -np.inf
        for ordered in starts:
            arr = Arrangement(values, movable)
            if ordered is not None:
                arr.sort_items(np.concatenate([*ordered, rest]), descending=True)
            best = max(best, arr.climb(lambda sc: sign * stat(sc)))
        found[sign] = sign * best
    upper, lower = found[1], found[-1]
    single = values.shape[1] == 1 and movable[~np.isnan(values)].all()
    exact = two and (single or (upper >= 1 - 1e-12 and lower <= -1 + 1e-12))
    return float(lower), float(upper), bool(exact)


# --- the table -------------------------------------------------------------------------------------------

def oriented_matrix(df: pd.DataFrame, links: list[dict], codebook: Codebook) -> np.ndarray:
    from .theory import oriented_scores

    return np.column_stack([oriented_scores(df[link["item"]], link, codebook).to_numpy(dtype=float, na_value=np.nan)
                            for link in links])


def identification_table(df: pd.DataFrame, codebook: Codebook, publication: dict, min_group_size: int = 5,
                         lang: str = "en") -> pd.DataFrame:
    """Every result of chapters 03 and 04 that depends on how answers combine, for a
    reconstructed intake: its value in the reconstruction and the lowest and highest value any
    arrangement allows (see the module docstring for the methods)."""
    from scipy.stats import spearmanr

    from .facts import admissible_count
    from .limitations import reliability_items
    from .theory import (STRENGTHENING, construct_links, grouping_variables, load_theory_map, respondent_scores,
                         threshold_items)

    facts, claims = publication["facts"], publication.get("claims", [])
    all_locked = locked_cells(df, [i for i in codebook.item_ids if i in df], facts)  # once for every item
    rows = []

    def add(quantity, chapter, value, lower, upper, method, sharp, marginals=AT_RECONSTRUCTION):
        rows.append({"quantity": quantity, "chapter": chapter, "value_in_reconstruction": value, "lower": lower,
                     "upper": upper, "method": method, "sharp": sharp, "marginals": marginals})

    # at least one threshold emotion (chapter 03)
    items = threshold_items()
    named = df[items].isin([4, 5])
    complete = df[items].notna().all(axis=1)
    n = int(complete.sum())
    counts = [int(named.loc[complete, i].sum()) for i in items]
    lo, hi = at_least_one_bounds(counts, n)
    value = float(named[complete].any(axis=1).mean())
    add("share naming at least one threshold emotion", "03", value, lo, hi, "Fréchet–Hoeffding", bool(complete.all()))
    ranges = [admissible_count(codebook.item(i), n, facts, claims, [4, 5]) for i in items]
    add("share naming at least one threshold emotion", "03", value, max(r[0] for r in ranges) / n,
        min(n, sum(r[1] for r in ranges)) / n, "Fréchet–Hoeffding", False, ADMISSIBLE + " (a comparison such as "
        "'vaker' is not applied item by item, so this is an outer bound)")

    # Spearman satisfaction x trust (chapter 04)
    pair = df[["q08_satisfaction", "q09_trust_bond"]].dropna().to_numpy(dtype=float)
    lo, hi = spearman_bounds(pair[:, 0], pair[:, 1])
    locked = {i: all_locked[i] for i in ("q08_satisfaction", "q09_trust_bond")}
    add("Spearman correlation satisfaction × bond of trust", "04", float(spearmanr(pair[:, 0], pair[:, 1])[0]), lo, hi,
        "Fréchet–Hoeffding", not any(v.any() for v in locked.values()))

    # Cronbach's alpha: the relationship items (chapter 04) and each multi-item construct (chapter 03)
    def alpha_row(quantity, chapter, links):
        ids = [link["item"] for link in links]
        values = oriented_matrix(df, links, codebook)
        complete = ~np.isnan(values).any(axis=1)
        movable = np.column_stack([~all_locked[i] for i in ids])[complete]
        lo, hi, exact = alpha_bounds(values[complete], movable)
        partial = not complete.all() and (~np.isnan(values[~complete])).any()
        add(quantity, chapter, cronbach_alpha(values[complete]), lo, hi,
            "Fréchet–Hoeffding (largest); balancing search (smallest)", exact and not partial,
            AT_RECONSTRUCTION + (f"; the {int(complete.sum())} respondents who answered every item, the others' "
                                 "answers as reconstructed" if partial else ""))

    rel = [{"item": i, "direction": STRENGTHENING if not codebook.item(i).reversed else "agree = alienating"}
           for i in reliability_items(codebook)]
    alpha_row("Cronbach's alpha of the relationship items", "04", rel)
    for c in load_theory_map()["constructs"]:
        links = construct_links(c, codebook)
        if len(links) >= 2:
            alpha_row(f"Cronbach's alpha: {c['name_en']}", "03", links)  # processed data: English names

    # sub-group effect sizes (chapter 03): every outcome of respondent_scores by every grouping
    groups = grouping_variables(df)
    outcomes = respondent_scores(df, codebook).columns
    constructs = {c["id"]: c for c in load_theory_map()["constructs"]}
    for grouping in groups.columns:
        g = groups[grouping].astype("string").fillna("").to_numpy()
        sizes = pd.Series(g[g != ""]).value_counts().sort_index()
        levels = [lvl for lvl, k in sizes.items() if k >= min_group_size]
        if len(levels) < 2:
            continue
        for outcome in outcomes:
            if outcome == "satisfaction":
                links = [{"item": "q08_satisfaction", "direction": STRENGTHENING}]
            else:
                seen, links = set(), []
                for cid in outcome.split(" = "):
                    for link in construct_links(constructs[cid], codebook):
                        if link["item"] not in seen:
                            seen.add(link["item"]); links.append(link)
            ids = [link["item"] for link in links]
            values = oriented_matrix(df, links, codebook)
            movable = np.column_stack([~all_locked[i] for i in ids])
            with np.errstate(invalid="ignore"):
                scores = np.nanmean(values, axis=1)
            parts = [scores[(g == lvl) & ~np.isnan(scores)] for lvl in levels]
            value = rank_biserial(*parts) if len(levels) == 2 else epsilon_squared(parts)
            lo, hi, exact = effect_bounds(values, movable, g, levels)
            name = "rank-biserial" if len(levels) == 2 else "epsilon²"
            add(f"{name}: {outcome} by {grouping}", "03", value, min(lo, value), max(hi, value),
                "search (swaps between groups)" if not exact else "sorted assignment", exact)
    return pd.DataFrame(rows, columns=IDENTIFICATION_COLUMNS)


def identification_stage(df: pd.DataFrame, intake, min_group_size: int, processed_dir, computed_dir: str = "") -> pd.DataFrame:
    """Stage 01's identified ranges (:func:`identification_table`) of a reconstructed intake,
    written to ``processed_dir``; or, given ``computed_dir`` (where the same run's stage 01 in
    another language wrote them), read from there instead of computed again."""
    import shutil
    from pathlib import Path

    from .facts import load_publication

    target = Path(processed_dir) / IDENTIFICATION_FILE
    if computed_dir:
        shutil.copyfile(Path(computed_dir) / IDENTIFICATION_FILE, target)
        return pd.read_csv(target, dtype={"chapter": str}, float_precision="round_trip")  # as computed
    publication = load_publication(intake.path, {"source": intake.meta["source"]})
    table = identification_table(df, intake.codebook, publication, min_group_size)
    table.to_csv(target, index=False, lineterminator="\n")
    return table


def read_identification(processed_dir) -> pd.DataFrame | None:
    """The identified ranges stage 01 wrote for a reconstructed intake, else None."""
    from pathlib import Path

    path = Path(processed_dir) / IDENTIFICATION_FILE
    return pd.read_csv(path) if path.is_file() else None

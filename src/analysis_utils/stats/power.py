"""The power of Fisher's exact test at this sample size, computed exactly, and the smallest
difference of two shares it detects.

Examples
--------
>>> round(exact_power(0.9, 0.5, 18, 10), 3)
0.577
"""
from __future__ import annotations

import math

import numpy as np

EXACT_UP_TO = 400  # respondents in two groups: the power of Fisher's test is enumerated up to here


def rejection_region(n1: int, n2: int, alpha: float = 0.05) -> np.ndarray:
    """Boolean (n1 + 1) x (n2 + 1) matrix: True where Fisher's exact test (two-sided) rejects at
    ``alpha`` for k1 of n1 against k2 of n2 positive answers.

    Fisher's test conditions on the total :math:`t = k_1 + k_2`, under which :math:`k_1` is
    hypergeometric; the two-sided p sums the probabilities of every table no more likely than the
    one observed (with scipy's relative tolerance of 1e-7). One vectorised step per total,
    instead of one ``scipy.stats.fisher_exact`` call per cell (the unit test checks they agree
    cell by cell).

    References
    ----------
    Fisher, R. A. (1922). On the interpretation of χ² from contingency tables, and the
    calculation of P. *Journal of the Royal Statistical Society*, 85(1), 87–94.

    Examples
    --------
    >>> bool(rejection_region(10, 10)[10, 0]), bool(rejection_region(10, 10)[5, 5])
    (True, False)
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
    outcome: :math:`\\sum_{k_1, k_2} \\mathrm{Bin}(k_1; n_1, p_1)\\,\\mathrm{Bin}(k_2; n_2, p_2)\\,
    [\\text{rejects}]` over the :func:`rejection_region`.

    References
    ----------
    Fisher (1922), see :func:`rejection_region`.

    Examples
    --------
    >>> round(exact_power(0.9, 0.5, 18, 10), 3)
    0.577
    """
    from scipy.stats import binom

    region = rejection_region(n1, n2, alpha) if region is None else region
    return float(binom.pmf(np.arange(n1 + 1), n1, p1) @ region @ binom.pmf(np.arange(n2 + 1), n2, p2))


def minimal_detectable_difference(n1: int, n2: int, base: float = 0.5, power: float = 0.8, alpha: float = 0.05) -> dict:
    """The smallest drop from the share ``base`` (in the first group) to a lower share in the
    second that Fisher's exact test detects with the given power (two-sided), found by exact
    enumeration (:func:`exact_power`) on a grid of 0.001 — not the normal approximation, which at
    these n promises more than it holds. ``share_to`` is NaN when no drop, down to 0, reaches
    the power.

    Above :data:`EXACT_UP_TO` respondents in the two groups together the normal approximation
    (Cohen's h, statsmodels) is used instead: there it holds, and enumeration would cost seconds.
    Also Cohen's d for two groups of scores with the t-test's power (pingouin), for orientation.

    With the exact power :math:`\\pi(p_1, p_2)` (:func:`exact_power`) and :math:`p_1` = ``base``,

    .. math:: p_2^* = \\max\\{p_2 \\in \\{p_1, p_1 - 0.001, \\dots, 0\\} : \\pi(p_1, p_2) \\ge
              \\text{power}\\}, \\quad h = 2\\arcsin\\sqrt{p_1} - 2\\arcsin\\sqrt{p_2^*}

    (``share_to`` and ``cohen_h``; ``n_stays`` and ``n_drops``: the sizes of the group whose share
    stays at ``base`` and of the one whose share drops; by the normal approximation,
    :math:`p_2^* = \\sin^2(\\arcsin\\sqrt{p_1} - h/2)` for the :math:`h` that reaches the power).

    References
    ----------
    Fisher (1922), see :func:`rejection_region`.
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.).
    Hillsdale, NJ: Erlbaum (h and d).

    Examples
    --------
    >>> m = minimal_detectable_difference(18, 10, base=1.0)
    >>> round(m["share_to"], 3), m["test"]
    (0.619, "Fisher's exact, power by enumeration")
    """
    import pingouin as pg

    d = float(pg.power_ttest2n(nx=n1, ny=n2, power=power, alpha=alpha))
    if n1 + n2 > EXACT_UP_TO:
        from statsmodels.stats.power import NormalIndPower

        h = NormalIndPower().solve_power(effect_size=None, nobs1=n1, ratio=n2 / n1, alpha=alpha, power=power)
        share_to = math.sin(max(math.asin(math.sqrt(base)) - h / 2, 0)) ** 2
        return {"share_from": base, "share_to": share_to, "difference": base - share_to, "cohen_h": h,
                "cohen_d": d, "test": "normal approximation (Cohen's h)", "n_stays": n1, "n_drops": n2}
    from scipy.stats import binom

    region = rejection_region(n1, n2, alpha)
    grid = np.round(np.arange(base, -0.0005, -0.001), 3)  # downwards from the observed share
    powers = (binom.pmf(np.arange(n1 + 1), n1, base) @ region) @ binom.pmf(np.arange(n2 + 1)[:, None], n2, grid)
    reached = np.flatnonzero(powers >= power)  # every grid point at once: exact_power, vectorised
    share_to = float(grid[reached[0]]) if len(reached) else float("nan")
    h = (2 * math.asin(math.sqrt(base)) - 2 * math.asin(math.sqrt(share_to))) if share_to == share_to else float("nan")
    return {"share_from": base, "share_to": share_to, "difference": base - share_to, "cohen_h": h,
            "cohen_d": d, "test": "Fisher's exact, power by enumeration", "n_stays": n1, "n_drops": n2}

"""Intervals for shares: one function per interval, each with its formula and reference.

Examples
--------
>>> lo, hi = wilson_interval(27, 28)
>>> round(100 * lo, 1), round(100 * hi, 1)
(82.3, 99.4)
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=None)  # items share their counts: each interval is solved once per process
def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion.

    .. math:: \\frac{\\hat p + \\frac{z^2}{2n} \\pm z\\sqrt{\\frac{\\hat p(1-\\hat p)}{n}
              + \\frac{z^2}{4n^2}}}{1 + \\frac{z^2}{n}}, \\quad \\hat p = k/n

    Computed by scipy's ``binomtest(k, n).proportion_ci(method="wilson")``; clipped to [0, 1].
    Unlike the Wald interval it keeps its coverage near 0 and 1 and at small n.

    Parameters
    ----------
    k, n : int
        Successes and trials; ``n = 0`` gives (nan, nan).
    confidence : float
        The confidence level (default 0.95).

    Returns
    -------
    (low, high) : tuple of float

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *Journal of the American Statistical Association*, 22(158), 209–212.

    Examples
    --------
    >>> [round(x, 3) for x in wilson_interval(14, 28)]
    [0.326, 0.674]
    """
    from scipy.stats import (
        binomtest,  # imported when used: scipy.stats loads in a second or more
    )

    if n == 0:
        return (float("nan"), float("nan"))
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return (max(0.0, float(ci.low)), min(1.0, float(ci.high)))


@lru_cache(maxsize=None)
def clopper_pearson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval of a binomial proportion.

    .. math:: \\left[B\\left(\\tfrac{\\alpha}{2}; k, n-k+1\\right),\\;
              B\\left(1-\\tfrac{\\alpha}{2}; k+1, n-k\\right)\\right]

    with :math:`B(q; a, b)` the beta quantile; it guarantees at least the nominal coverage and
    is wider than Wilson's.

    References
    ----------
    Clopper, C. J., & Pearson, E. S. (1934). The use of confidence or fiducial limits illustrated
    in the case of the binomial. *Biometrika*, 26(4), 404–413.

    Examples
    --------
    >>> [round(x, 3) for x in clopper_pearson_interval(27, 28)]
    [0.817, 0.999]
    """
    from scipy.stats import binomtest

    if n == 0:
        return (float("nan"), float("nan"))
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="exact")
    return (float(ci.low), float(ci.high))


def newcombe_difference(k1: int, n1: int, k2: int, n2: int, alpha: float = 0.05) -> tuple[float, float]:
    """Newcombe's hybrid score interval of the difference of two independent proportions
    :math:`k_1/n_1 - k_2/n_2`, built from the two Wilson intervals :math:`(l_i, u_i)`:

    .. math:: \\hat\\delta - \\sqrt{(\\hat p_1 - l_1)^2 + (u_2 - \\hat p_2)^2},\\quad
              \\hat\\delta + \\sqrt{(u_1 - \\hat p_1)^2 + (\\hat p_2 - l_2)^2}

    (statsmodels' ``confint_proportions_2indep(method="newcomb")``).

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. *Statistics in Medicine*, 17(8), 873–890.

    Examples
    --------
    >>> [round(x, 3) for x in newcombe_difference(20, 28, 80, 120)]
    [-0.153, 0.207]
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=alpha)
    return float(low), float(high)


def pooled_interval(hits: np.ndarray, answered: np.ndarray,
                    confidence: float = 0.95) -> tuple[float, float, float, float]:
    """A share pooled over several answers of each person, with the respondent as the unit:
    (share, low, high, design effect).

    The share is a ratio estimator, :math:`\\hat p = \\sum_i h_i / \\sum_i a_i` for respondent
    :math:`i` with :math:`h_i` hits among :math:`a_i` answers. Its variance is the
    cluster-robust (linearised) one over respondents,

    .. math:: \\hat V = \\sum_i (h_i - \\hat p a_i)^2 / m^2, \\quad m = \\sum_i a_i,

    and the design effect :math:`\\hat V` over the binomial :math:`\\hat p(1-\\hat p)/m`,
    floored at 1 (never narrower than the answer-level interval). The Wilson interval is then
    taken at the effective number of answers :math:`m / \\mathrm{deff}` (statsmodels'
    ``proportion_confint``).

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. New York: Wiley (the design effect).
    Wilson, E. B. (1927), see :func:`wilson_interval`.

    Examples
    --------
    >>> share, low, high, deff = pooled_interval(np.array([2, 2, 0, 1.]), np.array([2, 2, 2, 2.]))
    >>> round(share, 3), round(deff, 2)
    (0.625, 1.47)
    """
    from statsmodels.stats.proportion import proportion_confint

    keep = answered > 0
    h, a = hits[keep], answered[keep]
    m = a.sum()
    if m == 0:
        return (float("nan"),) * 4
    p = h.sum() / m
    binomial = p * (1 - p) / m
    cluster = np.sum((h - p * a) ** 2) / m ** 2  # the sandwich over respondents (one item: binomial)
    deff = max(1.0, cluster / binomial) if binomial > 0 else 1.0
    n_eff = m / deff
    lo, hi = proportion_confint(p * n_eff, n_eff, alpha=1 - confidence, method="wilson")
    return float(p), float(max(0.0, lo)), float(min(1.0, hi)), float(deff)


def manski_bounds(k: int, n: int, approached: int) -> tuple[float, float]:
    """Worst and best case of a share over everybody approached, if every non-respondent had
    answered negatively or positively (no assumption about non-response):

    .. math:: \\left[\\frac{k}{N},\\; \\frac{k + N - n}{N}\\right]

    for ``k`` positive answers of ``n`` respondents among ``N = approached``.

    References
    ----------
    Manski, C. F. (1989). Anatomy of the selection problem. *Journal of Human Resources*, 24(3),
    343–360.

    Examples
    --------
    >>> manski_bounds(27, 28, 40)
    (0.675, 0.975)
    """
    if approached < n:
        raise ValueError(f"{approached} approached is fewer than {n} respondents")
    missing = approached - n
    return k / approached, (k + missing) / approached


def interval_width(n: int, share: float = 0.5) -> float:
    """Width of the Wilson 95 % interval (:func:`wilson_interval`) of a share observed at ``n``
    (the count rounded to the nearest whole answer, a half to the even count as Python's
    ``round`` does):

    .. math:: w = u(k, n) - l(k, n), \\quad k = \\operatorname{round}(\\hat p\\, n)

    for the Wilson bounds :math:`l, u` of :math:`k` of :math:`n`.

    References
    ----------
    Wilson (1927), see :func:`wilson_interval`. Brown, L. D., Cai, T. T., & DasGupta, A. (2001).
    Interval estimation for a binomial proportion. *Statistical Science*, 16(2), 101–133.

    Examples
    --------
    >>> round(interval_width(28, 0.5), 3)
    0.347
    """
    lo, hi = wilson_interval(round(share * n), n)
    return hi - lo

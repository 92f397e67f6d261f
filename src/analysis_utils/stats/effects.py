"""Effect sizes and associations on plain arrays (no missing values): fast enough to be evaluated
over thousands of arrangements of the same answers (:mod:`analysis_utils.stats.bounds`), and
equal to scipy's and pingouin's (the unit tests compare them).

Examples
--------
>>> import numpy as np
>>> rank_biserial(np.array([3, 4, 5.]), np.array([1, 2, 3.]))
0.8888888888888888
"""
from __future__ import annotations

import numpy as np


def midranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mid-ranks of ``values`` (ties share the average of the ranks they occupy) and the size of
    each tie, in the order of the distinct values.

    The rank of a value tied :math:`t` times after :math:`c` smaller values is
    :math:`c + (t + 1) / 2` (as ``scipy.stats.rankdata(method="average")``).

    References
    ----------
    Kendall, M. G. (1945). The treatment of ties in ranking problems. *Biometrika*, 33(3), 239–251.

    Examples
    --------
    >>> ranks, ties = midranks(np.array([2, 1, 2, 5.]))
    >>> ranks.tolist(), ties.tolist()
    ([2.5, 1.0, 2.5, 4.0], [1, 2, 1])
    """
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    top = np.cumsum(counts)
    return (top - (counts - 1) / 2)[inverse], counts


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation: Pearson's r of the mid-ranks (:func:`midranks`),

    .. math:: \\rho = \\frac{\\operatorname{cov}(R_x, R_y)}{\\sigma_{R_x} \\sigma_{R_y}}

    as scipy and pandas compute it with ties.

    References
    ----------
    Spearman, C. (1904). The proof and measurement of association between two things.
    *American Journal of Psychology*, 15(1), 72–101.

    Examples
    --------
    >>> round(spearman(np.array([1, 2, 3, 4.]), np.array([1, 3, 2, 4.])), 3)
    0.8
    """
    return float(np.corrcoef(midranks(x)[0], midranks(y)[0])[0, 1])


def rank_biserial(first: np.ndarray, second: np.ndarray) -> float:
    """The rank-biserial correlation of the first group against the second,

    .. math:: r = \\frac{2U}{n_1 n_2} - 1, \\quad U = \\#\\{x_i > y_j\\} + \\tfrac12 \\#\\{x_i = y_j\\},

    from -1 (every answer of the first group below every answer of the second) to 1; pingouin's
    ``mwu`` gives the same ``RBC``.

    References
    ----------
    Glass, G. V. (1965). A ranking variable analogue of biserial correlation. *Educational and
    Psychological Measurement*, 25(1), 91–95. Kerby, D. S. (2014). The simple difference formula.
    *Comprehensive Psychology*, 3, 11.IT.3.1.

    Examples
    --------
    >>> rank_biserial(np.array([1, 2.]), np.array([3, 4.]))
    -1.0
    """
    diff = first[:, None] - second[None, :]
    u = (diff > 0).sum() + 0.5 * (diff == 0).sum()
    return float(2 * u / (len(first) * len(second)) - 1)


def epsilon_squared(groups: list[np.ndarray]) -> float:
    """Epsilon² of the Kruskal–Wallis test, :math:`\\varepsilon^2 = H / (n - 1)`, with

    .. math:: H = \\frac{\\frac{12}{n(n+1)} \\sum_g \\frac{R_g^2}{n_g} - 3(n+1)}
              {1 - \\sum_t (t^3 - t) / (n^3 - n)}

    (:math:`R_g` the rank sum of group :math:`g`, :math:`t` the tie sizes: the tie correction
    of scipy and pingouin). 0 when every answer is tied.

    References
    ----------
    Kelley, T. L. (1935). An unbiased correlation ratio measure. *PNAS*, 21(9), 554–559.
    Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates revisited.
    *Trends in Sport Sciences*, 21(1), 19–25.

    Examples
    --------
    >>> round(epsilon_squared([np.array([1, 2.]), np.array([3, 4.]), np.array([5, 6.])]), 3)
    0.914
    """
    values = np.concatenate(groups)
    n = len(values)
    ranks, counts = midranks(values)
    bounds = np.cumsum([0] + [len(g) for g in groups])
    h = sum(ranks[a:b].sum() ** 2 / (b - a) for a, b in zip(bounds[:-1], bounds[1:]))
    h = 12 / (n * (n + 1)) * h - 3 * (n + 1)
    correction = 1 - (counts ** 3 - counts).sum() / (n ** 3 - n)
    return float(h / correction / (n - 1)) if correction > 0 else 0.0


def cronbach_alpha(scores: np.ndarray) -> float:
    """Cronbach's alpha of a respondents × items matrix without missing values,

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_j \\sigma^2_j}{\\sigma^2_X}\\right)

    for :math:`k` items with variances :math:`\\sigma^2_j` and total score :math:`X` (pingouin's
    formula; -inf when every total is the same).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297–334.

    Examples
    --------
    >>> round(cronbach_alpha(np.array([[1, 2], [2, 3], [3, 3], [4, 5.]])), 3)
    0.96
    """
    k = scores.shape[1]
    total = scores.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - scores.var(axis=0, ddof=1).sum() / total)) if total > 0 else float("-inf")

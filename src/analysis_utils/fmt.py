"""How numbers are shown to a reader: one rounding rule (half up) for every percentage, one
way to write an interval and a p-value. The CSV tables keep full precision; everything a
reader sees goes through here, so a share and its category percentages agree. It imports only
:mod:`analysis_utils.i18n` (the language's decimal mark, and the words "95 % CI").

Examples
--------
>>> pct(0.625), pct(0.125), pct(0.5 / 28 * 28)
(63, 13, 50)
>>> pct_text(0.79), interval_text(0.6, 0.9)
('79 %', '60–90 %')
>>> p_text(0.00004), p_text(0.0312)
('< 0.001', '= 0.031')
"""
from __future__ import annotations

import math

from .i18n import N_, _, decimal


def round_half_up(x: float) -> int:
    """Round to a whole number, halves up (2.5 -> 3, not Python's 2). Float noise below 1e-9
    is ignored first, so 100 * 0.625 (62.49999...) counts as the half it is."""
    return int(math.floor(round(x, 9) + 0.5))


def pct(share: float) -> int:
    """A share (0-1) as a whole percentage, rounded half up."""
    return round_half_up(100 * share)


def percent_of(k: int, n: int) -> int:
    """A count as a whole percentage of ``n``, rounded half up as a reader would.

    >>> percent_of(13, 28), percent_of(9, 28)
    (46, 32)
    """
    return round_half_up(100 * k / n)


def signed(points: int) -> str:
    """A difference in whole points with its sign: "+3", "-44", and "0" for none (never "+0").

    >>> signed(3), signed(-44), signed(0)
    ('+3', '-44', '0')
    """
    return f"{points:+d}" if points else "0"


def signed_end(share: float) -> str:
    """An end of an interval of a difference of shares, in points with its sign: whole points
    (:func:`signed`), but where whole points would read "0" and it is not, as many decimals (up to
    three, rounded half up) as show on which side of 0 it lies, since Holm's and Bonferroni's
    "differs" means the interval excludes 0; "0" where it is 0 to the third decimal.

    >>> signed_end(0.7807), signed_end(0.0037), signed_end(-0.0041), signed_end(-0.0004), signed_end(-0.0426)
    ('+78', '+0.4', '-0.4', '-0.04', '-4')
    >>> signed_end(0.000025), signed_end(0.0000001), signed_end(0.0)
    ('+0.003', '0', '0')
    """
    if pct(share):
        return signed(pct(share))
    for places in (1, 2, 3):
        scaled = round_half_up(abs(100 * share) * 10 ** places)
        if scaled:
            return decimal(f"{'+' if share > 0 else '-'}{scaled / 10 ** places:.{places}f}")
    return "0"


def pct_text(share: float) -> str:
    return f"{pct(share)} %"


def interval_text(low: float, high: float) -> str:
    """An interval of shares as "60–90 %"."""
    return f"{pct(low)}–{pct(high)} %"


def ci_text(low: float, high: float) -> str:
    """A 95 % confidence interval in a sentence: "95 % CI 60–90 %" ("95 %-BI 60–90 %" in Dutch)."""
    return f"{_('95 % CI')} {interval_text(low, high)}"


def p_text(p: float) -> str:
    """A p-value as a sentence shows it: "< 0.001" below a thousandth, never "= 0.000" (with the
    report language's decimal mark)."""
    return decimal("< 0.001" if p < 0.001 else f"= {p:.3f}")


def bound_text(x: float) -> str:
    """An end of a range as a reader sees it: two decimals in the report language, or −∞ and ∞
    (Cronbach's alpha has no lower limit).

    >>> bound_text(-0.9949), bound_text(float("-inf"))
    ('-0.99', '−∞')
    """
    return "−∞" if x == -math.inf else "∞" if x == math.inf else decimal(f"{x:.2f}")


SMALL_NUMBERS = (N_("two"), N_("three"), N_("four"), N_("five"), N_("six"), N_("seven"), N_("eight"),
                 N_("nine"), N_("ten"), N_("eleven"), N_("twelve"))


def count_word(n: int) -> str:
    """A small count in running text as a word ("two teams"), from two to twelve, as style guides
    in both languages ask; a larger one as digits.

    >>> count_word(2), count_word(13)
    ('two', '13')
    """
    return _(SMALL_NUMBERS[n - 2]) if 2 <= n <= 12 else str(n)

"""Chapter 3's sentences on the home language: understanding of information and clear
communication by the language spoken at home, as the thesis wished (lines 2239–2243), or why
nothing is shown.
"""
from __future__ import annotations

import pandas as pd

from ...fmt import round_half_up
from ...i18n import _, ngettext


def home_language_text(table: pd.DataFrame | None, threshold: int = 5) -> str:
    """Understanding of information by home language, or why it is not shown."""
    wish = _("The author wished she had related the understanding of information to the clients' language "
             "(lines 2239–2243).")
    if table is None:
        return wish + " " + _("This questionnaire version does not ask the home language; version 2 does.")
    left = table.attrs.get("left_out", 0)
    hidden = table.attrs.get("groups_left_out", 0)
    dropped = (" " + ngettext("{groups} language group ({left} respondents) is not shown, so that nobody can be "
                              "recognised: those with fewer than {threshold} respondents and, where the totals would "
                              "give them away, the next smallest.",
                              "{groups} language groups ({left} respondents) are not shown, so that nobody can be "
                              "recognised: those with fewer than {threshold} respondents and, where the totals would "
                              "give them away, the next smallest.", hidden).format(
        groups=hidden, threshold=threshold, left=left) if left else "")
    if table.empty:
        return (wish + " " + _("No home language is spoken by {threshold} or more respondents, so nothing can be "
                               "shown.").format(threshold=threshold) + dropped)
    shown = pd.to_numeric(table["top-2 %"], errors="coerce").notna()  # a percentage, not a suppressed count
    groups = table.iloc[:, 0].nunique()
    if not shown.any():
        return wish + " " + _("Every percentage is hidden, so that nobody can be recognised: in each cell fewer than {threshold} "
                              "respondents gave, or did not give, one of the two most favourable answers.").format(
            threshold=threshold) + dropped
    smallest = int(pd.to_numeric(table.loc[shown, "n"]).min())
    suppressed = (" " + _("A count is not shown where fewer than {threshold} respondents of a group gave one of the "
                          "two most favourable answers (\"< {threshold}\"), or fewer than {threshold} did not (\"> n − "
                          "{threshold}\", n being the number who answered the item; where fewer than {twice} answered it, "
                          "\"1–(n − 1)\" either way), so that nobody can be recognised; \"0–n\" marks a count hidden "
                          "because the round's totals would otherwise give a hidden one away.").format(
        threshold=threshold, twice=2 * threshold) if (~shown).any() else "")
    return (wish + " " + _(
        "Questionnaire version 2 asks it: below, understanding of information and clear communication for each "
        "answer to the home-language question given by at least {threshold} respondents ({groups} in all).").format(
        groups=groups, threshold=threshold)
        + dropped + " " + _("In the smallest group with a percentage shown ({n} respondents), one person is {points} "
                            "percentage points.").format(n=smallest, points=round_half_up(100 / smallest)) + suppressed)

"""The top-2 share of items by group (team, home language), small cells and the cells that the
round's totals would give away by subtraction hidden.
"""
from __future__ import annotations

import pandas as pd

from ..codebook import Codebook
from ..fmt import percent_of
from ..intake.privacy import hidden_groups, protect_totals, suppress_small_cells


def top2_by_group(df: pd.DataFrame, codebook: Codebook, by: str, figures: list[int], threshold: int = 5,
                  items: list[str] | None = None) -> pd.DataFrame:
    """Top-2 share of the items of ``figures`` per group of column ``by`` (e.g. per team), small
    cells suppressed; ``items`` keeps only those items of the figures. Groups in sorted order.

    A group of fewer than ``threshold`` respondents is not shown, nor those :func:`~analysis_utils.
    intake.privacy.hidden_groups` hides besides; in a group, a count (``n`` or ``top2_count``) or its
    remainder from 1 to ``threshold`` - 1 is hidden (:func:`~analysis_utils.intake.privacy.suppress_small_cells`),
    and more counts where the item's total, published elsewhere, would narrow a hidden one by
    subtraction (:func:`~analysis_utils.intake.privacy.protect_totals`); the percentage:

    .. math:: \\text{top-2 \\%}_{gj} = \\operatorname{round}(100\\, k_{gj} / n_{gj})

    (rounded half up) for the :math:`k_{gj}` top-2 answers of the :math:`n_{gj}` of group
    :math:`g` to item :math:`j`.

    References
    ----------
    Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Schulte Nordholt, E., Spicer,
    K., & de Wolf, P.-P. (2012). *Statistical Disclosure Control*. Chichester: Wiley (threshold
    rules for small cells).

    Examples
    --------
    >>> from analysis_utils.codebook import load_codebook
    >>> df = pd.DataFrame({"team": ["A"] * 10 + ["B"] * 2 + [None] * 3, "q08_satisfaction": [5, 4] * 5 + [2] * 5})
    >>> top2_by_group(df, load_codebook(), "team", [8])[["team", "n", "top-2 %"]].values.tolist()
    [['A', 10, 100]]
    >>> df = pd.DataFrame({"team": ["A"] * 6, "q08_satisfaction": [5, 5, 3, 3, 3, 2]})
    >>> top2_by_group(df, load_codebook(), "team", [8])[["top2_count", "top-2 %"]].values.tolist()
    [['1–5', 'suppressed (< 5)']]
    """
    rows = []
    sizes = df[by].value_counts()
    for group in sorted(set(sizes.index) - hidden_groups(df[by], threshold)):
        sub = df[df[by] == group]
        for fig in figures:
            for item in codebook.by_figure(fig):
                if items is not None and item.id not in items:
                    continue
                col = sub[item.id].dropna()
                k = int(col.isin(item.top2_codes).sum())
                rows.append({by: group, "figure": fig, "item_id": item.id, "n": len(col), "top2_count": k,
                             "top-2 %": percent_of(k, len(col)) if len(col) else pd.NA})
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    counts = table["top2_count"]
    table = suppress_small_cells(table, ["n", "top2_count"], threshold, dependent_columns=["top-2 %"], total_column="n")
    shown = set(table[by])  # the rest answered too: the round's totals, published elsewhere, include them
    totals = {i: (int(df[i].isin(codebook.item(i).top2_codes).sum()), int(df.loc[~df[by].isin(shown), i].notna().sum()))
              for i in table["item_id"].unique()}
    return protect_totals(table, counts, totals, threshold)

"""Chapter 03's construct table as the reader sees it (Table 3.1) and as ``constructs.csv`` keeps it."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..fmt import interval_text
from ..i18n import N_, _
from .tables import for_people

# constructs.csv: the construct in words, its theory, reading, poles, links, and every number
CONSTRUCT_CSV = ["construct_id", "construct", "theory", "reading", "pole_negative", "pole_positive", "n_items", "n_stated",
                 "n_inferred", "n_respondents", "n_answers", "negative_share", "neutral_share", "middle_share",
                 "positive_share", "headline", "ci_low", "ci_high", "design_effect", "ci_widest_low", "ci_widest_high",
                 "ci_narrowest_low", "ci_narrowest_high", "poles_reached", "not_measured", "assumed",
                 "admissible_low", "admissible_high"]
READING = N_("(the reconstruction's reading: no interval)")
READING_ALLOWED = N_("(the reconstruction's reading, no interval: the publication allows {range})")


def construct_csv(constructs: pd.DataFrame) -> pd.DataFrame:
    """``constructs.csv``: the columns of :data:`CONSTRUCT_CSV` (those a run has: the admitted
    range only for a reconstructed intake), the poles a balance reaches as text ("pole_negative;
    pole_positive")."""
    t = constructs[[c for c in CONSTRUCT_CSV if c in constructs]].copy()
    t["poles_reached"] = ["; ".join(p) if isinstance(p, tuple) else "" for p in t["poles_reached"]]
    return t


def construct_shares(constructs: pd.DataFrame) -> pd.DataFrame:
    """The construct table for reading: shares toward each pole, neutral, (balances) the middle the
    thesis wants, the headline share's intervals; a share that is the reconstruction's reading gets no
    interval but the range the publication allows (``constructs.csv`` keeps every column)."""
    shown = ["construct", "negative_share", "neutral_share", "middle_share", "positive_share", "ci_low", "ci_high"]
    shown += [c for c in ("ci_widest_low", "ci_widest_high", "ci_narrowest_low", "ci_narrowest_high")
              if constructs[c].notna().any()]
    reached = constructs["poles_reached"] if "poles_reached" in constructs else pd.Series(None, index=constructs.index)
    t, lone = constructs[shown].copy(), reached.map(lambda p: isinstance(p, tuple) and len(p) == 1)
    t.loc[lone, "construct"] += " " + _("(its middle cannot be told from the pole no item asks)")
    assumed = constructs["assumed"].astype(bool) if "assumed" in constructs else pd.Series(False, index=t.index)
    t.loc[assumed, [c for c in shown if c.startswith("ci_")]] = np.nan  # a reading, not a sample: no interval
    low, high = (constructs.get(c, pd.Series(np.nan, index=t.index)) for c in ("admissible_low", "admissible_high"))
    t.loc[assumed, "construct"] = [f"{name} " + (_(READING) if a != a else _(READING_ALLOWED).format(
        range=interval_text(a, b))) for name, a, b in zip(t.loc[assumed, "construct"], low[assumed], high[assumed])]
    unscored = constructs["n_answers"].fillna(0).eq(0) if "n_answers" in constructs else t["negative_share"].isna()
    t.loc[unscored, "construct"] += " " + _("(not scored: see below)")  # not an empty row to puzzle over
    if lone.any():  # a share that may lie at the pole no item asks is not headed "in the middle" alone
        t = t.rename(columns={"middle_share": "middle_or_unasked_share"})
    return for_people(t, "construct")

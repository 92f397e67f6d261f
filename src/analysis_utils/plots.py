"""One plotting module, one colour scheme. Functions take a tidy frame and return the Axes;
they never read or write files.

Examples
--------
>>> import pandas as pd
>>> data = pd.DataFrame({"item": ["a"] * 5, "category_code": [1, 2, 3, 4, 5],
...                      "label": list("vwxyz"), "count": [0, 1, 2, 3, 4], "n": [10] * 5})
>>> ax = diverging_bars(data, y="item", hue="category_code", x="count", neutral=3)
>>> ax.get_xlim()
(-100.0, 100.0)
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg") if matplotlib.get_backend().lower() == "agg" else None
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

# Negative answers in reds, the neutral one grey, positive answers in blues (colour-blind safe).
DIVERGING = {1: "#b2182b", 2: "#ef8a62", 3: "#cccccc", 4: "#67a9cf", 5: "#2166ac"}
BAR = "#4a7fb0"
TEXT_DARK, TEXT_LIGHT = "#222222", "#ffffff"
plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 120, "font.size": 10, "axes.spines.top": False,
                     "axes.spines.right": False})


def _positions(codes: list[int], shares: list[float], neutral: int | None) -> list[tuple[float, float]]:
    """Left edge and width of each segment, centred on the neutral category (Heiberger & Robbins)."""
    below = sum(s for c, s in zip(codes, shares) if neutral is not None and c < neutral)
    mid = sum(s for c, s in zip(codes, shares) if c == neutral)
    left = -(below + mid / 2)
    out = []
    for s in shares:
        out.append((left, s))
        left += s
    return out


def diverging_bars(data: pd.DataFrame, y: str, hue: str, x: str = "count", neutral: int | None = 3,
                   label: str = "label", n: str = "n", colours: dict[int, str] | None = None,
                   ax: plt.Axes | None = None, order: list[str] | None = None) -> plt.Axes:
    """Diverging stacked bars of ordinal answers: one bar per ``y``, a segment per ``hue`` code.

    Segments are percentages of the bar's ``n``; the neutral category straddles zero, answers
    below it go left, above it right. Bars are ordered by their share above neutral (highest on
    top) unless ``order`` is given; each bar carries its n on the right.
    """
    colours = colours or DIVERGING
    data = data.copy()
    data["_share"] = 100 * data[x] / data[n]
    if order is None:
        pos = data[data[hue] > neutral].groupby(y, sort=False)["_share"].sum() if neutral else \
            data.groupby(y, sort=False)["_share"].sum()
        order = list(pos.sort_values(ascending=True, kind="stable").index)
    else:
        order = list(reversed(order))
    ax = ax or plt.subplots(figsize=(8, 0.5 * len(order) + 1.4))[1]
    codes = sorted(data[hue].unique())
    for row, name in enumerate(order):
        sub = data[data[y] == name].set_index(hue).reindex(codes)
        shares = sub["_share"].fillna(0).tolist()
        for code, (left, width) in zip(codes, _positions(codes, shares, neutral)):
            if width <= 0:
                continue
            ax.barh(row, width, left=left, color=colours.get(code, BAR), edgecolor="white", height=0.7)
            if width >= 6:
                dark = code in (2, 3, 4) if len(codes) == 5 else True
                ax.text(left + width / 2, row, f"{round(width)}", ha="center", va="center", fontsize=8,
                        color=TEXT_DARK if dark else TEXT_LIGHT)
        ax.text(1.01, row, f"n = {int(sub[n].dropna().iloc[0])}", transform=ax.get_yaxis_transform(),
                va="center", fontsize=8, color="#555555")
    ax.set_yticks(range(len(order)), labels=order)
    ax.set_xlim(-100, 100)
    ticks = [-100, -50, 0, 50, 100]
    ax.set_xticks(ticks, labels=[f"{abs(t)} %" for t in ticks])
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.set_xlabel("")
    labels = data.drop_duplicates(hue).set_index(hue)[label].reindex(codes)
    handles = [Patch(color=colours.get(c, BAR), label=labels[c]) for c in codes]
    axes_height = ax.get_position().height * ax.figure.get_figheight()
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.4 / max(axes_height, 0.4)), ncol=len(codes),
              frameon=False, fontsize=8, handlelength=1.2, columnspacing=1.0)
    return ax


def count_bars(data: pd.DataFrame, y: str, x: str = "count", n: str = "n", ax: plt.Axes | None = None,
               colour: str = BAR) -> plt.Axes:
    """Horizontal bars of counts in the order of ``data`` (first on top), each labelled
    ``count (percent %)``; zero-count categories keep their place."""
    ax = ax or plt.subplots(figsize=(8, 0.4 * len(data) + 1.0))[1]
    labels = list(data[y])[::-1]
    counts = list(data[x])[::-1]
    total = int(data[n].iloc[0]) if len(data) else 0
    ax.barh(range(len(labels)), counts, color=colour, height=0.65)
    top = max(counts) if counts else 1
    for i, k in enumerate(counts):
        pct = round(100 * k / total) if total else 0
        ax.text(k + top * 0.01, i, f"{k} ({pct} %)", va="center", fontsize=8)
    ax.set_yticks(range(len(labels)), labels=labels)
    ax.set_xlim(0, top * 1.18 if top else 1)
    ax.set_xlabel(f"respondents (n = {total})")
    return ax

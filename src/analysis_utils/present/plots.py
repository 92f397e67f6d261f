"""One plotting module, one colour scheme. Functions take a tidy frame and return the Axes;
they never read or write files (:mod:`analysis_utils.present.figures` saves and shows them).

Examples
--------
>>> import pandas as pd
>>> data = pd.DataFrame({"item": ["a"] * 5, "category_code": [1, 2, 3, 4, 5], "label": list("vwxyz"), "count": [0, 1, 2, 3, 4], "n": [10] * 5})
>>> ax = diverging_bars(data, y="item", hue="category_code", x="count")
>>> tuple(float(x) for x in ax.get_xlim())
(-100.0, 100.0)
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from ..fmt import pct, round_half_up
from ..i18n import N_, _
from .labels import value

# Negative answers in reds, the neutral one grey, positive answers in blues (colour-blind safe).
DIVERGING = {1: "#b2182b", 2: "#ef8a62", 3: "#cccccc", 4: "#67a9cf", 5: "#2166ac"}
SEQUENTIAL = {1: "#d9d9d9", 2: "#bdbdbd", 3: "#969696", 4: "#636363", 5: "#252525"}  # answers with no favourable side
BAR = "#4a7fb0"
LIGHT_BAR = "#9fbfdc"  # a count the publication leaves open (hatched)
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


@dataclass(frozen=True)
class Marks:
    """How a diverging-bar figure marks its bars: the ``neutral`` code (None: no neutral answer),
    the bars' ``order`` from the top (None: by the share above neutral), the bars ``worded``
    (a reconstruction's reading of a word, not a count: hatched) and the bars ``turned``
    (negatively worded items: the palette turned round, so the favourable answer is blue); bars
    ``split`` have a known total of the two most favourable answers but an assumed split: those
    two segments are dotted and carry their total, not each share; ``below`` holds (bar, code)
    pairs of answers below those two whose total is known but not which of them it is: dotted
    too; ``plain`` bars have no favourable side (greys from the first answer to the last)."""

    neutral: int | None = 3
    order: tuple | None = None
    worded: frozenset = frozenset()
    turned: frozenset = frozenset()
    split: frozenset = frozenset()  # bars whose split over the two most favourable answers is assumed: dotted
    below: frozenset = frozenset()  # (bar, code): an answer below those two whose total is known, not its split
    plain: bool = False  # answers that can be read neither way (the misread goals item): greys, no favourable side


def diverging_bars(data: pd.DataFrame, y: str, hue: str, x: str = "count", ax: plt.Axes | None = None,
                   marks: Marks = Marks()) -> plt.Axes:
    """Diverging stacked bars of ordinal answers: one bar per ``y``, a segment per ``hue`` code;
    ``data`` also has each code's ``label`` and each bar's ``n``.

    Segments are percentages of the bar's n; the neutral category straddles zero, answers below
    it go left, above it right (Heiberger & Robbins 2014). Bars are ordered by their share above
    neutral (highest on top) unless ``marks.order`` is given; each bar carries its n on the
    right. Bars ``marks.worded`` are hatched and lighter, with a legend entry saying so. Colour
    follows meaning: for bars ``marks.turned`` the legend names the colours by how favourable
    they are and says where each answer lies.
    """
    data = data.copy()
    data["_share"] = 100 * data[x] / data["n"]
    neutral = marks.neutral
    if marks.order is None:
        pos = data[data[hue] > neutral].groupby(y, sort=False)["_share"].sum() if neutral else \
            data.groupby(y, sort=False)["_share"].sum()
        order = list(pos.sort_values(ascending=True, kind="stable").index)
    else:
        order = list(reversed(marks.order))
    ax = ax or plt.subplots(figsize=(8, 0.5 * len(order) + 1.4))[1]
    codes = sorted(data[hue].unique())
    for row, name in enumerate(order):
        _bar(ax, row, data[data[y] == name].set_index(hue).reindex(codes), codes, name, marks)
    ax.set_yticks(range(len(order)), labels=order)
    ax.set_xlim(-100, 100)
    ticks = [-100, -50, 0, 50, 100]
    ax.set_xticks(ticks, labels=[f"{abs(t)} %" for t in ticks])
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.set_xlabel("")
    _legend(ax, data.drop_duplicates(hue).set_index(hue)["label"].reindex(codes), codes, order, marks)
    return ax


def _bar(ax, row: int, sub: pd.DataFrame, codes: list[int], name: str, marks: Marks) -> None:
    """One bar: its segments, their percentages where they fit, its n on the right. A hatched bar
    (a share the publication only words) prints no percentage: its segments are the
    reconstruction's reading, and the table beside the figure gives the range the text allows."""
    shares = sub["_share"].fillna(0).tolist()
    top = set(codes[:2] if name in marks.turned else codes[-2:]) if name in marks.split else set()
    low = {code for bar, code in marks.below if bar == name}
    spans, low_spans = [], []
    hatched = bool(marks.worded) and name in marks.worded
    for code, (left, width) in zip(codes, _positions(codes, shares, marks.neutral)):
        if width <= 0:
            continue
        shade = (codes[0] + codes[-1] - code) if marks.turned and name in marks.turned else code
        palette = SEQUENTIAL if marks.plain else DIVERGING
        ax.barh(row, width, left=left, color=palette.get(shade, BAR), edgecolor="white", height=0.7,
                hatch="///" if hatched else "..." if code in top | low else None,
                alpha=0.6 if hatched and not marks.plain else 1.0)  # greys lightened would pass for their neighbours
        if code in top | low:
            (spans if code in top else low_spans).append((left, width))
        elif width >= 6 and not hatched:
            dark = shade in (2, 3, 4) if len(codes) == 5 else True
            ax.text(left + width / 2, row, f"{round_half_up(width)}", ha="center", va="center", fontsize=8,
                    color=TEXT_DARK if dark else TEXT_LIGHT)
    for group, least in ((spans, 0), (low_spans, 6)):  # each known total, the sum of its dotted segments
        left, right = (min(s[0] for s in group), max(s[0] + s[1] for s in group)) if group else (0, 0)
        total = sum(s[1] for s in group)
        if group and not hatched and total >= least:
            ax.text((left + right) / 2, row, f"{round_half_up(total)}", ha="center", va="center", fontsize=8,
                    color=TEXT_DARK, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.text(1.01, row, f"n = {int(sub['n'].dropna().iloc[0])}", transform=ax.get_yaxis_transform(),
            va="center", fontsize=8, color="#555555")


FAVOURABLE = {5: N_("most favourable"), 4: N_("favourable"), 3: N_("neutral"), 2: N_("unfavourable"), 1: N_("most unfavourable")}


def _legend(ax, labels: pd.Series, codes: list[int], order: list[str], marks: Marks) -> None:
    """The answers' colours under the axes; with turned bars, named by how favourable they are."""

    shown_turned = sorted(set(marks.turned) & set(order))
    if marks.plain:  # no favourable side: the answers themselves, in greys
        handles = [Patch(color=SEQUENTIAL.get(c, BAR), label=labels[c]) for c in codes]
    elif shown_turned and len(codes) == 5:  # colours by how favourable, positions by the answer
        handles = [Patch(color=DIVERGING.get(c, BAR), label=_(FAVOURABLE[c])) for c in reversed(codes)]
        note = _("answers from '{first}' (left) to '{last}' (right); for {items} '{first}' is the favourable "
                 "answer").format(first=labels[codes[0]], last=labels[codes[-1]], items=", ".join(shown_turned))
        ax.set_xlabel("\n".join(textwrap.wrap(note, 110)), fontsize=8)
    else:
        handles = [Patch(color=DIVERGING.get(c, BAR), label=labels[c]) for c in codes]
    if marks.worded and set(marks.worded) & set(order):
        handles.append(Patch(facecolor="#8c8c8c", edgecolor="white", hatch="///",
                             label=_("share not given as a number in the text")))
    if set(marks.split) & set(order) or {bar for bar, _code in marks.below} & set(order):
        handles.append(Patch(facecolor="#8c8c8c", edgecolor="white", hatch="...",
                             label=_("dotted: the total is given, its split assumed")))
    axes_height = ax.get_position().height * ax.figure.get_figheight()
    below = 0.4 + 0.16 * (ax.get_xlabel().count("\n") + 1 if ax.get_xlabel() else 0)  # under the note, if any
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -below / max(axes_height, 0.4)),
              ncol=min(len(handles), 5), frameon=False, fontsize=8, handlelength=1.2, columnspacing=1.0)


def count_bars(data: pd.DataFrame, y: str, x: str = "count", n: str = "n", ax: plt.Axes | None = None,
               colour: str = BAR) -> plt.Axes:
    """Horizontal bars of counts in the order of ``data`` (first on top), each labelled
    ``count (percent %)``; zero-count categories keep their place. Rows with ``low`` < ``high``
    (a count the publication leaves open) are hatched and lighter, labelled with the counts
    allowed ("[0–25]"), and a legend entry says so."""
    ax = ax or plt.subplots(figsize=(8, 0.4 * len(data) + 1.0))[1]
    labels = list(data[y])[::-1]
    counts = list(data[x])[::-1]
    ranges = list(zip(data["low"], data["high"]))[::-1] if "low" in data else [(None, None)] * len(data)
    open_ = [lo is not None and pd.notna(lo) and lo != hi for lo, hi in ranges]
    reported = list(data["reported"])[::-1] if "reported" in data else [None] * len(data)
    near = [p is not None and pd.notna(p) for p in reported]  # a published percentage no count gives
    total = int(data[n].iloc[0]) if len(data) else 0
    bars = ax.barh(range(len(labels)), counts, color=[LIGHT_BAR if o else colour for o in open_], height=0.65,
                   edgecolor="white")
    for bar, o, m in zip(bars, open_, near):
        bar.set_hatch("///" if o else ("..." if m else None))
    top = max(counts) if counts else 1
    for i, (k, (lo, hi), o, p) in enumerate(zip(counts, ranges, open_, reported)):
        share = pct(k / total) if total else 0
        said = "; " + _("the text: {percent} %").format(percent=f"{p:g}") if near[i] else ""
        ax.text(k + top * 0.01, i, f"{k} ({share} %{said})" + (f" [{int(lo)}–{int(hi)}]" if o else ""), va="center",
                fontsize=8)
    handles = [Patch(facecolor=LIGHT_BAR, edgecolor="white", hatch="///",
                     label=_("count not fixed by the text; [ ]: no count outside this range is possible"))] if any(open_) else []
    if any(near):
        handles.append(Patch(facecolor=colour, edgecolor="white", hatch="...",
                             label=_("no whole count gives the text's percentage: the nearest count")))
    if handles:
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=8)  # above the bars
    ax.set_yticks(range(len(labels)), labels=labels)
    ax.set_xlim(0, top * 1.18 if top else 1)
    ax.set_xlabel(_("respondents (n = {n})").format(n=total))
    return ax


# Per figure (interval_plot's ``key``): what its solid and dashed lines mean, and its x axis.
KEYS = {
    "constructs": (N_("line: 95 % interval"), N_("dashed: what the thesis's text allows"),
                   N_("share of answers on the strengthening side")),
    "emotions": (N_("line: 95 % interval"), N_("dashed: what the thesis's text allows"), N_("share naming the emotion")),
    "non_response": (N_("line: from every non-respondent unfavourable to every one favourable"),
                     N_("dashed: the same, for every count the thesis's text allows"),
                     N_("favourable share (point: of the respondents; line: of all clients approached)")),
    "ceiling": (N_("line: 95 % interval"), N_("dashed: what the thesis's text allows"),
                N_("share at the most positive answer")),
}


def interval_plot(data: pd.DataFrame, y: str, x: str, lo: str, hi: str, hue: str | None = None,
                  ax: plt.Axes | None = None, xlim: tuple[float, float] = (0, 1), percent: bool = True,
                  assumed: str | None = None, legend: str = "lower left", key: str | None = None) -> plt.Axes:  # long: seaborn style
    """A point per row of ``data`` with its interval (``lo``–``hi``), first row on top; ``hue``
    colours rows by a grouping column; rows whose ``assumed`` column is True (a value resting on
    the reconstruction's reading of a word) are drawn hollow with a dashed interval; ``legend``:
    where the key goes; ``key`` (of :data:`KEYS`): what the lines mean, and the x axis."""
    ax = ax or plt.subplots(figsize=(8, 0.38 * len(data) + 1.2))[1]
    rows = data.reset_index(drop=True)
    ys = list(range(len(rows)))[::-1]
    levels = list(dict.fromkeys(rows[hue])) if hue else [None]
    palette = ["#2166ac", "#b2182b", "#4d9221", "#8c510a", "#762a83"]
    for level, colour in zip(levels, palette):
        sel = rows.index if level is None else rows.index[rows[hue] == level]
        yy = [ys[i] for i in sel]
        made = [bool(rows.loc[i, assumed]) if assumed else False for i in sel]
        for i, yi, m in zip(sel, yy, made):
            ax.hlines(yi, rows.loc[i, lo], rows.loc[i, hi], color=colour, linewidth=2, alpha=0.6,
                      linestyles="dashed" if m else "solid")
            ax.plot(rows.loc[i, x], yi, "o", color=colour, markerfacecolor="white" if m else colour)
        ax.plot([], [], "o", color=colour, label=value(level) if level is not None else None)
    ax.set_yticks(ys, labels=rows[y])
    pad = 0.02 * (xlim[1] - xlim[0])  # a dot at 0 or 100 % is drawn whole, not cut at the axis
    ax.set_xlim(xlim[0] - pad, xlim[1] + pad)
    if percent:
        ticks = [xlim[0] + (xlim[1] - xlim[0]) * t for t in (0, 0.25, 0.5, 0.75, 1)]
        ax.set_xticks(ticks, labels=[f"{pct(t)} %" for t in ticks])
    ax.grid(axis="x", color="#e5e5e5")
    ax.set_axisbelow(True)
    dashed = bool(assumed and rows[assumed].any())
    for style, words in zip(("solid", "dashed")[:1 + dashed], KEYS[key] if key else ()):
        ax.plot([], [], color="#555555", linewidth=2, alpha=0.6, linestyle=style, label=_(words))
    if dashed:
        ax.plot([], [], "o", color="#555555", markerfacecolor="white", label=_("rests on a share not given as a number in the text"))
    if key:  # under its axis title, clear of every line (a key inside the axes covered one)
        ax.set_xlabel(_(KEYS[key][2]), fontsize=9)
        height = ax.get_position().height * ax.figure.get_figheight()
        ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.62 / height), ncol=2)
    elif hue or dashed:
        ax.legend(frameon=False, fontsize=8, loc=legend)
    return ax


def pole_axes(data: pd.DataFrame, y: str, x: str, lo: str, hi: str, left: str, right: str,
              ax: plt.Axes | None = None) -> plt.Axes:  # long: seaborn style, each column named
    """Each row as a position between its two poles (0 = ``left`` pole, 1 = ``right`` pole)."""
    ax = ax or plt.subplots(figsize=(8, 0.9 * len(data) + 0.8))[1]
    rows = data.reset_index(drop=True)
    for i, r in rows.iterrows():
        yy = len(rows) - 1 - i
        ax.hlines(yy, 0, 1, color="#cccccc", linewidth=6)
        ax.text(-0.04, yy, value(r[left]), ha="right", va="center", fontsize=9, color="#b2182b")
        ax.text(1.04, yy, value(r[right]), ha="left", va="center", fontsize=9, color="#2166ac")
        if pd.isna(r[x]):  # no answers to this axis's items
            ax.text(0.5, yy + 0.28, _("not measured (no item)"), ha="center", fontsize=8, color="#777777")
            continue
        ax.hlines(yy, r[lo], r[hi], color="#67a9cf", linewidth=6)
        ax.plot(r[x], yy, "o", color="#2166ac", markersize=10)
        ax.text(r[x], yy + 0.28, f"{pct(r[x])} %", ha="center", fontsize=8)
    ax.set_xlim(-0.02, 1.02)  # a dot at a pole is drawn whole
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_yticks([])
    ax.set_xticks([0, 0.5, 1], labels=["0 %", "50 %", "100 %"])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    return ax


BALANCE_SIDES = (("negative", "#8073ac", N_("toward the left pole (avoided)")),
                 ("neutral", "#e6e6e6", N_("neutral")),
                 ("middle", "#4d9221", N_("in the middle the thesis wants")),
                 ("positive", "#e08214", N_("toward the right pole (avoided)")))
MIDDLE_OR_UNASKED = N_("in the middle the thesis wants, or toward a pole no item asks")


def balance_bars(data: pd.DataFrame, y: str, shares: dict[str, str], left: str, right: str,
                 reached: str | None = None, ax: plt.Axes | None = None,
                 assumed: str | None = None) -> plt.Axes:  # long: seaborn style, each column named
    """Balancing acts: per row, one bar from the ``left`` pole to the ``right`` pole with the
    share of answers toward each pole, neutral, and in the middle the thesis wants (``shares``:
    side -> column, sides of :data:`BALANCE_SIDES`). Neither pole is coloured as better: the
    thesis wants both avoided. A pole missing from the row's ``reached`` (a tuple of
    ``pole_negative`` / ``pole_positive``) is marked *not asked*: no item can place an answer there.
    """
    ax = ax or plt.subplots(figsize=(8, 0.95 * len(data) + 1.3))[1]
    rows = data.reset_index(drop=True)
    asked_by = [r[reached] if reached is not None else ("pole_negative", "pole_positive") for _i, r in rows.iterrows()]
    keyed = {side for side, _c, _n in BALANCE_SIDES if side in ("neutral", "middle")
             or any(f"pole_{side}" in asked for asked in asked_by)}  # a pole no item asks has no key
    unasked = any(len(asked) < 2 for asked in asked_by)  # its answers cannot be told from the middle
    for i, r in rows.iterrows():
        yy = len(rows) - 1 - i
        start = 0.0
        for side, colour, name in BALANCE_SIDES:
            share = r[shares[side]] if side in shares and pd.notna(r[shares[side]]) else 0.0
            made = bool(assumed) and bool(r.get(assumed))
            name = MIDDLE_OR_UNASKED if side == "middle" and unasked else name
            ax.barh(yy, share, left=start, color=colour, height=0.5, label=_(name) if i == 0 and side in keyed else None,
                    edgecolor="#bbbbbb" if side == "neutral" else ("white" if made else "none"), linewidth=0.5,
                    hatch="///" if made else None)
            if share >= 0.04:  # a small share is labelled too, never below the figures' 8 pt
                ax.text(start + share / 2, yy, f"{pct(share)} %", ha="center", va="center", fontsize=8,
                        color="black" if side == "neutral" else "white")
            start += share
        asked = asked_by[i]
        for pole, x, ha, colour in (("pole_negative", -0.02, "right", "#54278f"), ("pole_positive", 1.02, "left", "#b35806")):
            text = "\n".join(textwrap.wrap(value(r[left if pole == "pole_negative" else right]), 22))
            if pole not in asked:
                text += "\n" + _("(not asked)")
            ax.text(x, yy, text, ha=ha, va="center", fontsize=8, color=colour if pole in asked else "#888888",
                    style="normal" if pole in asked else "italic")
        ax.text(0, yy + 0.36, r[y], ha="left", va="bottom", fontsize=9, fontweight="bold")
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, len(rows) - 0.2)
    ax.set_yticks([])
    ax.set_xticks([0, 0.5, 1], labels=["0 %", "50 %", "100 %"])
    for side in ("left", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    return ax


CLEAR = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9}


def ipa_grid(data: pd.DataFrame, x: str, y: str, label: str, ranges: bool = False,
             ax: plt.Axes | None = None) -> plt.Axes:
    """Importance against performance: a numbered point per pair, keyed beside the grid; with
    ``ranges``, the range the publication allows for each share as a bar through the point
    (columns ``<x>_low``, ``<x>_high``, ``<y>_low``, ``<y>_high``), the point hollow where a range is
    left open. Positions only: no cross-hairs, no quadrants, no advice."""
    ax = ax or plt.subplots(figsize=(9, 5.5))[1]
    if ranges:
        ax.errorbar(data[x], data[y], xerr=[data[x] - data[f"{x}_low"], data[f"{x}_high"] - data[x]],
                    yerr=[data[y] - data[f"{y}_low"], data[f"{y}_high"] - data[y]], fmt="none", ecolor="#9ecae1",
                    elinewidth=2, capsize=3, zorder=2)
    open_ = ~((data[f"{x}_low"] == data[f"{x}_high"]) & (data[f"{y}_low"] == data[f"{y}_high"])) if ranges else \
        pd.Series(False, index=data.index)  # inside an open (or unknown) range: the reconstruction's reading, hollow
    ax.scatter(data[x], data[y], facecolors=["white" if o else "#2166ac" for o in open_], edgecolors="#2166ac", zorder=3)
    # numbered points, keyed beside the grid (labels of crowded points would overlap)
    places = data.groupby([x, y], sort=False)[label].agg(", ".join).reset_index()
    for i, r in places.iterrows():
        ax.annotate(str(i + 1), (r[x], r[y]), textcoords="offset points", xytext=(5, 5), fontsize=8, fontweight="bold",
                    zorder=5, bbox=CLEAR)
    key = "\n".join(textwrap.fill(f"{i + 1}  {r[label]}", 42, subsequent_indent="    ")
                    for i, r in places.iterrows())  # wrapped: the key may not widen the figure past the page
    ax.text(1.04, 1.0, key, transform=ax.transAxes, va="top", ha="left", fontsize=8, linespacing=1.6)
    lows = [data[c].min() for c in (x, y, *((f"{x}_low", f"{y}_low") if ranges else ()))]
    lo = max(0.0, round(min(0.5, float(min(lows)) - 0.05) * 10) / 10)
    ax.set_xlim(lo, 1.03)
    ax.set_ylim(lo, 1.05)
    ticks = [t / 10 for t in range(int(lo * 10), 11)]
    ax.set_xticks(ticks, labels=[f"{pct(t)} %" for t in ticks])
    ax.set_yticks(ticks, labels=[f"{pct(t)} %" for t in ticks])
    ax.grid(color="#eeeeee")
    ax.set_axisbelow(True)
    return ax


LINK_COLOURS = ("#f2f2f2", "#2166ac", "#92c5de", "#bdbdbd")  # none; scored, the thesis's; scored, this report's; indicated
INDICATED_HATCH = "#6e6e6e"
LINK_KEYS = (N_("scored: the thesis makes the link"), N_("scored: this report draws the link"),
             N_("indicated, not scored"))


def coverage_heatmap(matrix: pd.DataFrame, ax: plt.Axes | None = None, kinds: pd.DataFrame | None = None) -> plt.Axes:
    """Constructs by items (``matrix``: constructs as rows), drawn with the items as rows and the
    constructs as columns, so that the grid fits the report's text width: a filled cell where the
    item indicates the construct; with ``kinds`` (the same grid, 1-3), coloured and keyed by whose
    link it is and whether it is scored."""
    import seaborn as sns

    grid = (matrix if kinds is None else kinds).T
    ax = ax or plt.subplots(figsize=(0.32 * grid.shape[1] + 2.6, 0.3 * grid.shape[0] + 2.8))[1]
    colours = list(LINK_COLOURS) if kinds is not None else ["#f2f2f2", "#2166ac"]
    sns.heatmap(grid, cmap=colours, cbar=False, linewidths=0.5, linecolor="white", ax=ax, vmin=0, vmax=len(colours) - 1)
    if kinds is not None:  # links not scored also hatched: in greys, their colour is that of this report's links
        for row, col in zip(*(grid.to_numpy() == len(colours) - 1).nonzero()):
            ax.add_patch(Rectangle((col, row), 1, 1, fill=False, hatch="///", edgecolor=INDICATED_HATCH, linewidth=0))
        ax.legend(handles=[Patch(facecolor=c, edgecolor=INDICATED_HATCH if i == 2 else c, hatch="///" if i == 2 else None,
                                 linewidth=0, label=_(k)) for i, (c, k) in enumerate(zip(LINK_COLOURS[1:], LINK_KEYS))],
                  loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=8, ncol=1)
    ax.tick_params(axis="x", labelrotation=90, labelsize=8)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlabel("")
    ax.set_ylabel("")
    return ax

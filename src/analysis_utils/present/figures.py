"""Figures as the report shows them: drawn (:mod:`.plots`), saved as PNG, and shown in the
notebook from the saved file — drawn once, and the report shows what was saved. The thesis's
figures (Figuur 1–23) are redrawn from the frequency table with their captions.

Examples
--------
>>> from analysis_utils.codebook import load_codebook
>>> figure_name(8, load_codebook()), figure_name(10, load_codebook())
('fig08_satisfaction', 'fig10_emotions')
"""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from ..codebook import GOALS_V1, Codebook
from ..fmt import interval_text, pct, pct_text, percent_of
from ..i18n import N_, _, current, ngettext
from . import plots
from .captions import figure_alt, figure_caption

def save_figure(fig, figures_dir: str | Path, name: str) -> Path:
    """Save ``fig`` as ``<figures_dir>/<name>.png`` (tight, without the Software tag)."""
    path = Path(figures_dir) / f"{name}.png"
    fig.savefig(path, bbox_inches="tight", metadata={"Software": None})
    return path


FIGURE_WORD = N_("Figure")


def show(ax, path, alt: str | None = None, caption: str | None = None) -> None:
    """Save the axes' (or figure's) figure as ``path`` (PNG), close it, and show the saved file
    in the notebook with ``alt`` as its alternative text and ``caption`` under it
    (``**Figure.** …``, which the book numbers "Figure 3.1" per chapter)."""
    fig = ax.figure if hasattr(ax, "figure") else ax
    fig.savefig(path, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    display_saved(path, alt)
    if caption is not None:
        from IPython.display import Markdown, display

        display(Markdown(f"**{_(FIGURE_WORD)}.** {caption}"))


def display_saved(path, alt: str | None = None) -> None:
    """Show a saved figure in the notebook: ``alt`` as its alternative text, and a link to its
    file (``figures/<name>.png`` beside the page), which the report opens at full size."""
    from IPython.display import Image, display

    display(Image(filename=str(path), metadata={"href": f"figures/{Path(path).name}"},
                  **({"alt": alt} if alt is not None else {})))


def figure_name(number: int, codebook: Codebook) -> str:
    """``figNN_<short-name>``: the group's name for a multi-item figure, else the item's."""
    items = codebook.by_figure(number)
    if items[0].group:
        return items[0].group
    return f"fig{number:02d}_{items[0].id.split('_', 1)[1]}"


def draw_figure(number: int, freq: pd.DataFrame, codebook: Codebook, worded: set[str] = frozenset(),  # long: the marks
                split: set[str] = frozenset(), allowed: dict | None = None, nearest: dict | None = None):
    """Redraw thesis figure ``number`` from the frequency table, in the current language; return
    the matplotlib Figure. Items in ``worded`` are drawn hatched; in ``split``, the two most
    favourable segments dotted (their total is published, not how it splits); ``allowed`` (item ->
    code -> (lowest, highest)): counts the publication leaves open, hatched with their range (a
    scale item's answers below its two most favourable: dotted, their total being published);
    ``nearest`` (item -> code -> percentage): counts nearest to a published percentage no count gives."""
    lang = current()
    items = codebook.by_figure(number)
    data = freq[freq["item_id"].isin([i.id for i in items])].copy()
    data["label"] = data["label_nl" if lang == "nl" else "label_en"]
    data["item"] = data["item_id"].map({i.id: i.label(lang) for i in items})
    first = items[0]
    if first.type == "scale":
        fig, ax = plt.subplots(figsize=(8, 0.42 * len(items) + 1.8))
        marks = plots.Marks(neutral=first.scale.neutral, worded=frozenset(i.label(lang) for i in items if i.id in worded),
                            turned=frozenset(i.label(lang) for i in items if i.reversed and i.id != GOALS_V1),
                            split=frozenset(i.label(lang) for i in items if i.id in split),
                            below=frozenset((i.label(lang), c) for i in items for c in (allowed or {}).get(i.id, {})),
                            plain=first.id == GOALS_V1,  # read as neither agreement nor disagreement
                            # a worded share is no result: the questionnaire's order, not a ranking by it
                            order=tuple(i.label(lang) for i in items) if set(worded) & {i.id for i in items} else None)
        plots.diverging_bars(data, y="item", hue="category_code", x="count", ax=ax, marks=marks)
        if len(items) == 1:
            ax.set_yticks([0], labels=[""])
    else:
        fig, ax = plt.subplots(figsize=(8, 0.36 * len(data) + 1.1))
        ranges = {(i, code): r for i, codes in (allowed or {}).items() for code, r in codes.items()}
        keys = list(zip(data["item_id"], data["category_code"]))
        data["low"] = [ranges.get(k, (None, None))[0] for k in keys]
        data["high"] = [ranges.get(k, (None, None))[1] for k in keys]
        data["reported"] = [(nearest or {}).get(i, {}).get(code) for i, code in keys]
        plots.count_bars(data, y="label", x="count", ax=ax)
    fig.tight_layout()  # no title: the caption under the figure names it (and is its alt text)
    return fig


def show_figures(numbers, freq: pd.DataFrame, codebook: Codebook, figures_dir: str | Path,  # long: the marks
                 worded: set[str] = frozenset(), split: set[str] = frozenset(), allowed: dict | None = None,
                 nearest: dict | None = None) -> None:
    """Draw, save and display thesis figures with their captions (for the notebooks); the saved PNG is what
    is shown, so each figure is rendered once. ``worded`` (:func:`analysis_utils.stats.descriptive.worded_items`),
    ``split``, ``allowed``, ``nearest``: the marks of :func:`draw_figure`."""
    from IPython.display import Markdown, display

    for number in numbers:
        fig = draw_figure(number, freq, codebook, worded, split, allowed, nearest)
        path = save_figure(fig, figures_dir, figure_name(number, codebook))
        plt.close(fig)
        display_saved(path, figure_alt(number, codebook, freq, split, allowed, worded, nearest))
        display(Markdown(figure_caption(number, codebook, freq, worded, allowed, split)))


def draw_comparison(tidy: pd.DataFrame, item_key: str, assumed: tuple = (frozenset(), frozenset())):
    """One figure per aligned item of a comparison: a diverging bar per intake, in the order given (``tidy``:
    :func:`analysis_utils.stats.compare.tidy_answers`, words); ``assumed``: the intakes whose top-2 share, and
    those whose split of it, the reconstruction chose (hatched; dotted; so the answers ``count_assumed``)."""
    data = tidy[tidy["item_key"] == item_key]
    intakes, chosen = list(dict.fromkeys(data["intake"])), data[data.get("count_assumed", pd.Series(False, data.index))]
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(intakes) + 1.6))
    plots.diverging_bars(data, y="intake", hue="category_code", x="count", ax=ax,
                         marks=plots.Marks(neutral=3, order=tuple(intakes), worded=frozenset(assumed[0]),
                                           split=frozenset(assumed[1]),
                                           below=frozenset(zip(chosen["intake"], chosen["category_code"]))))
    first = data.iloc[0]
    ax.set_title(f"Figuur {first['figure']}: {first['item']}", loc="left", fontsize=10)
    fig.tight_layout()
    return fig


def show_comparison(tidy: pd.DataFrame, figures_dir: str | Path, table: pd.DataFrame | None = None) -> None:
    """Every aligned item of a comparison as a figure, saved as ``compare_<item>.png`` and shown
    with its caption (the thesis's figure number, the item, each intake's share); with the
    comparison ``table`` (:func:`~analysis_utils.present.narrative.comparison.comparison_words`),
    a reconstructed reference's bar is hatched where its publication does not fix the top-2
    share and dotted where it fixes the share but not its split."""
    from IPython.display import Markdown, display

    for key in dict.fromkeys(tidy["item_key"]):
        fig = draw_comparison(tidy, key, _on_reconstruction(table, key, tidy))
        path = save_figure(fig, figures_dir, f"compare_{key}")
        plt.close(fig)
        display_saved(path, comparison_alt(tidy, key, table))
        figure, item, shares = _comparison_shares(tidy, key, table)
        display(Markdown(f"**Figuur {figure}.** " + _(CAPTION_COMPARISON).format(item=item, shares=shares)))


def _on_reconstruction(table: pd.DataFrame | None, item_key: str, tidy: pd.DataFrame | None = None
                       ) -> tuple[frozenset, frozenset]:
    """The rounds whose bar for ``item_key`` rests on the reconstruction, on either side of the
    comparison: (top-2 share not fixed by its publication, top-2 fixed but not its split: a
    reconstructed round, per ``tidy``'s ``reconstructed``, where the whole distribution is not)."""
    if table is None or "top2_reference_low" not in table:
        return frozenset(), frozenset()
    share = set(_admitted_shares(table, item_key))
    rebuilt = set(tidy.loc[tidy["reconstructed"].astype(bool), "intake"]) if tidy is not None and "reconstructed" in tidy \
        else set()
    split = {r[side] for _i, r in table[table["item_key"] == item_key].iterrows() for side in ("reference", "intake")
             if not bool(r["distribution_fixed"]) and r[side] in rebuilt and r[side] not in share}
    return frozenset(share), frozenset(split)


ALT_COMPARISON = N_("Figuur {figure}: {item}. Share in the two most positive answers: {shares}.")
CAPTION_COMPARISON = N_("{item}, per round. Share in the two most positive answers: {shares}.")
SHARE_ADMITTED = N_("{range} as its publication allows")


def comparison_alt(tidy: pd.DataFrame, item_key: str, table: pd.DataFrame | None = None) -> str:
    """A comparison figure's alternative text: each intake's share in the two most positive answers (or
    the range its publication admits where it does not fix it, per the comparison ``table``)."""
    figure, item, shares = _comparison_shares(tidy, item_key, table)
    return _(ALT_COMPARISON).format(figure=figure, item=item, shares=shares)


def _comparison_shares(tidy: pd.DataFrame, item_key: str, table: pd.DataFrame | None = None) -> tuple[str, str, str]:
    """(thesis figure number, item, each intake's share in the two most positive answers): the share
    counted, or the range its publication admits where the ``table`` says it does not fix it."""
    data = tidy[tidy["item_key"] == item_key]
    first = data.iloc[0]
    admitted = _admitted_shares(table, item_key)
    shares = []
    for intake, rows in data.groupby("intake", sort=False):
        n = int(rows["count"].sum())
        top = int(rows.loc[rows["category_code"] >= 4, "count"].sum())
        share = (_(SHARE_ADMITTED).format(range=_span_text(*admitted[intake])) if intake in admitted
                 else f"{percent_of(top, n)} %")
        shares.append(f"{intake} {share} (n = {n})")
    return first["figure"], first["item"], "; ".join(shares)


def _admitted_shares(table: pd.DataFrame | None, item_key: str) -> dict[str, tuple[float, float]]:
    """The rounds, on either side, whose top-2 share of ``item_key`` their publication does not
    fix, each with the range it admits (lowest, highest)."""
    if table is None or "top2_reference_low" not in table:
        return {}
    out = {}
    for _i, r in table[table["item_key"] == item_key].iterrows():
        for side in ("reference", "intake"):
            low, high = r[f"top2_{side}_low"], r[f"top2_{side}_high"]
            if pd.notna(low) and pd.notna(high) and low != high:
                out[r[side]] = (low, high)
    return out


def _span_text(low: float, high: float) -> str:
    """A range of shares as a reader sees it: "75–96 %", one value where both ends round alike."""
    return pct_text(low) if pct(low) == pct(high) else interval_text(low, high)


# --- the figures of chapters 03 and 04, each drawn from its table in words and shown -------------

ALT_BALANCE = N_("{construct}: {middle} in the middle, {negative} toward {pole_negative}, {positive} toward {pole_positive}, {neutral} neutral")
ALT_BALANCE_LONE = N_("{construct}: {middle} in the middle or toward the pole no item asks, {share} toward {pole}, "
                      "{neutral} neutral")
ALT_IPA = N_("{pair}: important to {importance}, positive experience {performance}")
ALT_RANGE = N_("{item} {observed} (from {worst} to {best})")
ALT_OPEN_RANGE = N_("{item}: not fixed by the text (from {worst} to {best} of all approached)")
ALT_ADMITTED = N_("{item}: not fixed by the thesis, anything from {low} to {high}")


def _said(caption: str, parts: list[str]) -> str:
    """A figure's alternative text: its caption, then what it shows, value by value."""
    return f"{caption.rstrip('.')}. " + "; ".join(parts) + "."


def _pc(share) -> str:
    """A share as "88 %", or a dash where there is none (a pole no item reaches)."""
    return pct_text(share) if pd.notna(share) else "—"


def _allowed(row, column: str) -> str:
    """A share, or where the publication leaves a range (a reconstruction), that range."""
    low, high = row.get(f"{column}_low"), row.get(f"{column}_high")
    if low is not None and pd.notna(low) and pd.notna(high) and pct_text(low) != pct_text(high):
        return interval_text(low, high)
    return _pc(row[column])


def _balance_alt(r) -> str:
    """One balance row in words; where one pole is not asked, its middle is not told from that pole."""
    shares = _shares(r)
    if len(r["poles_reached"]) == 1:
        pole = r["poles_reached"][0]  # "pole_negative" or "pole_positive"
        return _(ALT_BALANCE_LONE).format(construct=r["construct"], middle=shares["middle"], pole=r[pole],
                                          share=shares[pole.removeprefix("pole_")], neutral=shares["neutral"])
    return _(ALT_BALANCE).format(construct=r["construct"], pole_negative=r["pole_negative"],
                                 pole_positive=r["pole_positive"], **shares)


def _shares(row) -> dict[str, str]:
    """A balance row's four shares in words."""
    return {k: _pc(row[f"{k}_share"]) for k in ("middle", "negative", "positive", "neutral")}


READING = N_("the reconstruction's reading")


def _listed(table: pd.DataFrame, name: str, share: str, assumed=None) -> list[str]:
    """Each row's name and share, in the figure's order ("vertrouwelijkheid 88 %"); a row of ``assumed`` (its
    share the reconstruction's reading of a word or split) gives the range its line draws (``ci_low``–``ci_high``)."""
    marks = [False] * len(table) if assumed is None else list(assumed)
    return [_(ALT_ADMITTED).format(item=r[name], low=_pc(r["ci_low"]), high=_pc(r["ci_high"])) + f" ({_(READING)}: "
            f"{pct_text(r[share])})" if mark and "ci_low" in r else f"{r[name]} {pct_text(r[share])}" + (f" ({_(READING)})" if mark else "")
            for (_i, r), mark in zip(table.iterrows(), marks) if pd.notna(r[share])]


def _assumed(table: pd.DataFrame):
    """The table's ``assumed`` column, or None where it has none (observed data)."""
    return table["assumed"].astype(bool) if "assumed" in table else None


def _admitted(table: pd.DataFrame) -> pd.DataFrame:
    """An ``assumed`` row's line: the range the publication admits, not a sampling interval of a reading."""
    a = table["assumed"].astype(bool) if {"assumed", "admissible_low"} <= set(table) else pd.Series(False, table.index)
    return table.assign(ci_low=table["ci_low"].where(~a, table.get("admissible_low")), ci_high=table["ci_high"].where(~a, table.get("admissible_high")))


HOLLOW = N_("A hollow point is the reconstruction's reading of a share the thesis only words or does not state; its "
            "line runs over every count the text admits")


def directions(constructs: pd.DataFrame, figures_dir: Path) -> None:
    """The constructs where more is better, by their share on the strengthening side."""
    scored = _admitted(constructs[constructs["positive_share"].notna()])
    direction = scored[scored["reading"] == "direction"].sort_values("positive_share", ascending=False, kind="stable")
    ax = plots.interval_plot(direction, y="construct", x="positive_share", lo="ci_low", hi="ci_high", hue="theory",
                             assumed="assumed" if "assumed" in direction else None, key="constructs")
    text = _("Direction constructs: share of answers on the strengthening side, with respondent-level 95 % intervals") + (
        ". " + _(HOLLOW) if "assumed" in direction and direction["assumed"].any() else "")
    show(ax, figures_dir / "interpretation_constructs.png", _said(text, _listed(direction, "construct", "positive_share", _assumed(direction))),
         caption=text)


def balances(constructs: pd.DataFrame, figures_dir: Path) -> None:
    """The balancing acts the questionnaire measures: the share of answers in the middle the
    thesis wants, toward each pole it wants avoided, and neutral; a pole no item reaches is
    marked as not asked."""
    balance = constructs[constructs["middle_share"].notna() & (constructs["reading"] == "balance")]
    if len(balance):
        ax = plots.balance_bars(balance, y="construct", shares={s: f"{s}_share" for s in ("negative", "neutral", "middle",
                                                                                          "positive")},
                                left="pole_negative", right="pole_positive", reached="poles_reached",
                                assumed="assumed" if "assumed" in balance else None)
        text = _("Balancing acts: share of answers in the middle the thesis wants, toward each pole it wants avoided, "
               "and neutral")
        if balance["poles_reached"].map(len).lt(2).any():
            text += ". " + _("Where no item asks a pole, its answers cannot be told from the middle")
        parts = [_balance_alt(r) for _i, r in balance.iterrows()]
        show(ax, figures_dir / "interpretation_balances.png", _said(text, parts), caption=text)


def relationship_axes(constructs: pd.DataFrame, figures_dir: Path) -> None:
    """Driessens & Van Regenmortel's three axes: the position between the two poles."""
    axes = _admitted(constructs[constructs["axis"].astype(bool)])  # a reading's line: what the publication admits
    ax = plots.pole_axes(axes, y="construct", x="positive_share", lo="ci_low", hi="ci_high", left="pole_negative",
                         right="pole_positive")
    ax.set_xlabel(_("share of answers toward the right-hand (strengthening) pole; light-blue band: 95 % interval") if not (
        _assumed(axes) is not None and _assumed(axes).any()) else _("share toward the right-hand pole; line: the range allowed"))
    text = _("The relationship axes of Driessens & Van Regenmortel: position between the alienating and the strengthening pole")
    show(ax, figures_dir / "interpretation_axes.png", _said(text, _listed(axes, "construct", "positive_share", _assumed(axes))),
         caption=text)


def importance_performance(ipa: pd.DataFrame, figures_dir: Path) -> None:
    """Each expectation the thesis's words tie to an experience item, as a position: importance
    against performance, with the range the publication allows where it gives no number."""
    pairs = ipa.assign(pair=ipa["expectation"] + " ↔ " + ipa["experience"])
    ax = plots.ipa_grid(pairs, x="performance", y="importance", label="pair", ranges="importance_low" in ipa)
    ax.set_xlabel(_("experience: share on the positive side"))
    ax.set_ylabel(_("expectation: share rating it important"))
    text = _("Importance against experience for each expectation the thesis's words tie to an experience item")
    if "importance_low" in ipa:
        note = _("Positions only (the thesis gives no advice); a bar: the range the publication allows; a hollow "
                 "point: the reconstruction's reading inside it")
        text = f"{text}. {note}."
    parts = [_(ALT_IPA).format(pair=r["pair"], importance=_allowed(r, "importance"), performance=_allowed(r, "performance"))
             for _i, r in pairs.iterrows()]
    show(ax, figures_dir / "interpretation_ipa.png", _said(text, parts), caption=text)


def emotions(table: pd.DataFrame, figures_dir: Path) -> None:
    """The share naming each emotion, reassuring and threshold emotions, with intervals; a share
    the publication only words (``assumed``) hollow, with the range the publication admits."""
    assumed, table = "assumed" in table and table["assumed"].any(), _admitted(table)
    ax = plots.interval_plot(table, y="emotion", x="share", lo="ci_low", hi="ci_high", hue="group",
                             assumed="assumed" if assumed else None, legend="upper left" if assumed else "lower left", key="emotions")
    text = _("Share naming each emotion, reassuring and threshold emotions, with 95 % intervals")
    if assumed:
        text = _("Share naming each emotion, reassuring and threshold emotions, with a 95 % interval where the thesis "
                 "gives the count")
        text += ". " + _(HOLLOW)
        parts = [(_(ALT_ADMITTED).format(item=r["emotion"], low=_pc(r["ci_low"]), high=_pc(r["ci_high"]))
                  if r["assumed"] else f"{r['emotion']} {pct_text(r['share'])}") for _i, r in table.iterrows()]
    else:
        parts = _listed(table, "emotion", "share")
    show(ax, figures_dir / "interpretation_emotions.png", _said(text, parts), caption=text)


def non_response(bounds: pd.DataFrame, figures_dir: Path) -> None:
    """Each headline share with its range if the non-respondents had answered otherwise."""
    table = bounds.assign(assumed=~bounds["fixed"].astype(bool)) if "fixed" in bounds else bounds
    assumed = "assumed" in table and table["assumed"].any()
    ax = plots.interval_plot(table, y="item", x="observed", lo="worst_case", hi="best_case",
                             assumed="assumed" if assumed else None, key="non_response")
    text = _("Observed share of each headline item and its range if non-respondents had answered otherwise")
    if assumed:
        text += ". " + _(HOLLOW)
    parts = [(_(ALT_OPEN_RANGE) if assumed and r["assumed"] else _(ALT_RANGE)).format(
        item=r["item"], observed=_pc(r["observed"]), worst=_pc(r["worst_case"]), best=_pc(r["best_case"]))
        for _i, r in table.iterrows()]
    show(ax, figures_dir / "limitations_manski.png", _said(text, parts), caption=text)


def ceiling(table: pd.DataFrame, figures_dir: Path) -> None:
    """The share of answers at each item's most positive category."""
    assumed = "assumed" in table and table["assumed"].any()
    ax = plots.interval_plot(table, y="item", x="ceiling_share", lo="ci_low", hi="ci_high",
                             assumed="assumed" if assumed else None, key="ceiling")
    text = _("Share of answers at the most positive category, per item")
    if assumed:
        text += ". " + _("Hollow points rest on the reconstruction's split between the two most favourable "
                         "answers; their dashed line is the range the publication allows, not a sampling interval") + "."
    show(ax, figures_dir / "limitations_ceiling.png", _said(text, _listed(table, "item", "ceiling_share", _assumed(table))), caption=text)


def coverage(matrix: pd.DataFrame, figures_dir: Path, kinds: pd.DataFrame | None = None) -> None:
    """Which items indicate which construct of the theory; with ``kinds`` (the same grid, each link
    by its kind), whose link it is and whether it is scored."""
    text = _("Which items indicate which construct of the theory")
    if kinds is not None:
        text += ". " + _("Dark blue: the thesis makes the link; light blue: this report draws it; hatched grey: the item "
                         "indicates the construct but is not scored")
    parts = [ngettext("{construct}: {k} item", "{construct}: {k} items", int(row.sum())).format(construct=c, k=int(row.sum()))
             for c, row in matrix.iterrows()]
    show(plots.coverage_heatmap(matrix, kinds=kinds), figures_dir / "limitations_coverage.png", _said(text, parts), caption=text)

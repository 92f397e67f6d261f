"""The words beside the thesis's redrawn figures (Figuur 1–23): each figure's caption, quoting
the Dutch wording with its English translation and n and saying which bars rest on a word of the
text, and its alternative text, which lists what the figure shows (the counts, or the range the
text allows where it fixes no count).

Examples
--------
>>> from analysis_utils.codebook import load_codebook
>>> figure_alt(1, load_codebook())
'Figuur 1: Wat is uw geslacht? — What is your gender?'
"""
from __future__ import annotations

import pandas as pd

from ..codebook import GOALS_V1, Codebook
from ..fmt import pct, percent_of
from ..i18n import N_, _, current
from .labels import MISREAD_CELL, REVERSED_MARK

GOALS_CAPTION = N_(
    "Worded negatively: a positive judgement had to be a 1 or 2, and the author writes that most clients had not "
    "understood this (lines 2227–2231), while she reads every answer as \"dezelfde doelen\" (line 1787). The bars "
    "show the answers as coded, not turned; they can be read as neither agreement nor disagreement")
GOALS_RECONSTRUCTED = N_("The bars are the reconstruction's: the thesis gives no count of these answers")
SPLIT_CAPTION = N_("In dotted segments the thesis gives the total of the two most favourable answers, not how it "
                   "splits between them: the split drawn is the reconstruction's rule (explained under Table 2.2), and the "
                   "number is their total.")
BELOW_CAPTION = N_("Among the less favourable answers, too, dotted segments are the reconstruction's choice: the thesis "
                   "says how many gave one of them, not which.")
RECONSTRUCTED_WORDING = N_("The wording is the project's: the thesis keeps no title for this figure, only a section "
                           "heading")
ALL_WORDED = N_("In all bars the thesis gives no number for the positive share, only a word (\"het merendeel\", "
                "\"enkele\") or nothing: the bar is the reconstruction's reading, inside the range shown in the table "
                "below.")
SOME_WORDED = N_("In hatched bars the thesis gives no number for the positive share, only a word (\"het merendeel\", "
                 "\"enkele\") or nothing: the bar is the reconstruction's reading, inside the range shown in the "
                 "table below.")


def _wording(number: int, codebook: Codebook) -> tuple[str, str]:
    """The figure's Dutch and English wording: the group's stem, else the item's wording."""
    first = codebook.by_figure(number)[0]
    if first.group:
        g = codebook.groups[first.group]
        return g.stem_nl, g.stem_en
    return first.shown_wording("nl"), first.wording_en


ALT_ANSWERS = N_("Answers: {answers}.")
ALT_WORDED = N_("not fixed by the text, which allows {low}–{high} % in the two most favourable answers")
ALT_ALLOWED = N_("{label}: not fixed by the text, which allows no count outside {low}–{high}")
ALT_NEAREST = N_("{label} {count} ({percent} %), the count nearest to the text's {reported} %, which no whole count gives")
ALT_TOP2 = N_("Share in the two most favourable answers (for a negatively worded item, its two lowest): {shares}.")


def figure_alt(number: int, codebook: Codebook, freq: pd.DataFrame | None = None,  # long: the marks
               split: set[str] = frozenset(), allowed: dict | None = None, worded: dict | None = None,
               nearest: dict | None = None) -> str:
    """The figure's alternative text: what it shows, in words — its question, then every answer
    given with its count and percentage (one question) or each item's share in the two most
    positive answers (a group of items). An item in ``worded`` (item -> the range of its top-2
    share the publication allows) gets that range, not the reconstruction's counts; an answer in
    ``nearest`` (item -> code -> the published percentage no count gives) says so."""
    nl, en = _wording(number, codebook)
    text = f"Figuur {number}: {nl}" + ("" if current() == "nl" else f" — {en}")
    if freq is None:
        return text
    text = text.rstrip(" :.")
    text = text if text.endswith("?") else text + "."
    worded = worded if isinstance(worded, dict) else {}
    open_any = {(i, c) for i, codes in (allowed or {}).items() for c in codes}
    listed = pd.Series([(i, c) in open_any for i, c in zip(freq["item_id"], freq["category_code"])], index=freq.index)
    data = freq[(freq["figure"] == number) & ((freq["count"] > 0) | listed)]
    items = codebook.by_figure(number)
    label = "label_nl" if current() == "nl" else "label_en"
    if len(items) == 1 and items[0].id == GOALS_V1 and items[0].id in worded:  # no favourable side, no counts
        return f"{text} " + _(ALT_ANSWERS).format(answers=_(MISREAD_CELL))
    if len(items) == 1 and items[0].id in worded:
        low, high = worded[items[0].id]
        return f"{text} " + _(ALT_ANSWERS).format(answers=_(ALT_WORDED).format(low=pct(low), high=pct(high)))
    if len(items) == 1:
        open_codes = (allowed or {}).get(items[0].id, {})
        if items[0].id in split:  # the two most favourable answers as the one total the thesis gives
            data = _merged(data, items[0].top2_codes, label)
        if items[0].type == "scale":  # so the answers below them whose total alone it gives
            data = _merged(data, list(open_codes), label)
        near = (nearest or {}).get(items[0].id, {})
        answers = "; ".join(_(ALT_ALLOWED).format(label=r[label], low=open_codes[r["category_code"]][0],
                                                  high=open_codes[r["category_code"]][1])
                            if r.get("category_code") in open_codes else
                            _(ALT_NEAREST).format(label=r[label], count=r["count"], percent=r["percent"],
                                                  reported=f"{near[r['category_code']]:g}")
                            if r.get("category_code") in near else f"{r[label]} {r['count']} ({r['percent']} %)"
                            for _i, r in data.iterrows())
        return f"{text} " + _(ALT_ANSWERS).format(answers=answers)
    shares = []
    for item in items:  # the two most favourable answers: a negatively worded item's two lowest, as the tables count
        rows = freq[freq["item_id"] == item.id]
        name = item.label(current()) + (_(REVERSED_MARK) if item.reversed else "")
        if item.id in worded:
            low, high = worded[item.id]
            shares.append(f"{name} " + _(ALT_WORDED).format(low=pct(low), high=pct(high)))
        elif len(rows) and rows["n"].iloc[0]:
            top = int(rows.loc[rows["category_code"].isin(item.top2_codes), "count"].sum())
            shares.append(f"{name} {percent_of(top, int(rows['n'].iloc[0]))} %")
    return f"{text} " + _(ALT_TOP2).format(shares="; ".join(shares))


def _merged(data: pd.DataFrame, codes: list[int], label: str) -> pd.DataFrame:
    """The rows of ``codes`` as one, in the place of the first: their labels joined, their total."""
    part = data[data["category_code"].isin(codes)]
    if not len(part):
        return data
    total = int(part["count"].sum())
    row = pd.DataFrame([{label: " – ".join(part[label]), "count": total,
                         "percent": percent_of(total, int(part["n"].iloc[0]))}], index=[part.index[0]])
    return pd.concat([data.drop(part.index), row]).sort_index()


def figure_caption(number: int, codebook: Codebook, freq: pd.DataFrame, worded: set[str] = frozenset(),  # long: the marks
                   allowed: dict | None = None, split: set[str] = frozenset()) -> str:
    """Markdown caption quoting the Dutch item wording, with its English translation and n, and
    which bars rest on a word of the text rather than a count; for a reconstruction (``allowed``:
    counts its publication leaves open) what the item's figure rests on (``reconstructed_note``)
    and which dotted segments are its choice (``split``: items whose two most favourable answers
    have a published total only; ``allowed`` for a scale item: the answers below them)."""
    items = codebook.by_figure(number)
    nl, en = _wording(number, codebook)
    ns = freq[freq["figure"] == number].groupby("item_id", sort=False)["n"].first()
    n_text = f"n = {ns.min()}" if ns.min() == ns.max() else f"n = {ns.min()}–{ns.max()}"
    caption = f"**Figuur {number}.** *{nl}*" + ("" if current() == "nl" else f" — {en}") + f" ({n_text})"
    if len(items) == 1 and items[0].evidence == "inferred":  # only a section heading of the thesis survives
        caption += ". " + _(RECONSTRUCTED_WORDING)
    if items[0].id == GOALS_V1:
        caption += ". " + _(GOALS_CAPTION)
    if len(items) == 1 and items[0].reconstructed_note and items[0].id in (allowed or {}):
        caption += ". " + (items[0].reconstructed_note.get(current()) or items[0].reconstructed_note["en"])
    marked = [i for i in items if i.id in worded]
    if marked and items[0].id == GOALS_V1:  # no share to give a range of: the bars are simply the reconstruction's
        caption += ". " + _(GOALS_RECONSTRUCTED)
    elif marked and items[0].type == "scale":
        caption += ". " + (_(ALL_WORDED) if len(marked) == len(items) else _(SOME_WORDED))
    for text, dotted in ((SPLIT_CAPTION, {i.id for i in items} & set(split)),
                         (BELOW_CAPTION, [i for i in items if (allowed or {}).get(i.id)])):
        if dotted and items[0].type == "scale":  # the reconstruction's split of a published total
            caption = caption.rstrip(".") + ". " + _(text)
    return caption

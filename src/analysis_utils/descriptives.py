"""Stage 02: counts, shares with intervals, medians, and the checks on the publication.

Statistics fit for n = 28 ordinal answers: counts and whole percentages, top-2-box shares with
Wilson 95 % intervals (Clopper-Pearson beside them in item_summary.csv), medians and IQR, the share at the scale's
maximum. No Wald intervals, no means of single Likert items.

Examples
--------
>>> lo, hi = wilson_interval(27, 28)
>>> round(100 * lo, 1), round(100 * hi, 1)
(82.3, 99.4)
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook, Item
from .escaping import neutralise_csv
from .fmt import interval_text, pct
from .i18n import N_, _, current, decimal, in_language
from .facts import OPS, count, grim_consistent, percent_of, possible_bases

FREQUENCY_COLUMNS = ["item_id", "figure", "category_code", "label_nl", "label_en", "n", "count", "percent"]
SUMMARY_COLUMNS = ["item_id", "figure", "n", "top2_count", "top2_share", "top2_ci_low", "top2_ci_high",
                   "median", "q1", "q3", "ceiling_share", "provenance", "admissible_low", "admissible_high",
                   "top2_exact_low", "top2_exact_high"]
RATED_TYPES = ("scale", "frequency")


@lru_cache(maxsize=None)  # items share their counts: each interval is solved once per process
def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for k successes out of n (scipy's ``binomtest``)."""
    from scipy.stats import binomtest  # imported when used: scipy.stats loads in a second or more

    if n == 0:
        return (float("nan"), float("nan"))
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return (max(0.0, float(ci.low)), min(1.0, float(ci.high)))


@lru_cache(maxsize=None)
def clopper_pearson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for k successes out of n."""
    from scipy.stats import binomtest

    if n == 0:
        return (float("nan"), float("nan"))
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="exact")
    return (float(ci.low), float(ci.high))


def read_processed(path: str | Path) -> pd.DataFrame:
    """The processed answer file of stage 01, codes as nullable integers."""
    df = pd.read_csv(path, dtype={"respondent_id": "string", "a03_team": "string"})
    for col in df.columns:
        if col.startswith(("a0", "q")) and df[col].dtype.kind in "fi":
            df[col] = df[col].astype("Int64")
    return df


def frequencies(df: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per item and category, zero-count categories included."""
    rows = []
    for item in codebook.items:
        if item.section == "administration" or not item.coded:
            continue
        col = df[item.id].dropna()
        n = len(col)
        counts = col.value_counts()
        for code in item.scale.codes:
            k = int(counts.get(code, 0))
            rows.append({
                "item_id": item.id, "figure": item.figure, "category_code": code,
                "label_nl": item.scale.label(code, "nl"), "label_en": item.scale.label(code, "en"),
                "n": n, "count": k, "percent": percent_of(k, n) if n else pd.NA,
            })
    table = pd.DataFrame(rows, columns=FREQUENCY_COLUMNS)
    return table.astype({"figure": "Int64", "percent": "Int64"})


def ordinal_quartiles(codes: pd.Series, item: Item) -> tuple[float, float, float]:
    """First quartile, median and third quartile of an ordinal item as answer categories
    (Hyndman-Fan type 1, numpy's ``inverted_cdf``: never 2.5 or a household of 1.5 persons),
    on the positively oriented scale (a reversed item turned, so that its median, top-2 share
    and ceiling all read the same way: higher is better).

    >>> from analysis_utils.codebook import load_codebook
    >>> ordinal_quartiles(pd.Series([1, 1, 1, 2, 3, 5]), load_codebook().item("q10_emotion_doubt"))
    (3.0, 4.0, 5.0)
    """
    col = codes.dropna().astype(int)
    if col.empty:
        return (np.nan,) * 3
    scores = col.map(item.positive_score) if item.reversed else col
    return tuple(float(x) for x in np.percentile(scores, [25, 50, 75], method="inverted_cdf"))


def summarise_item(values: pd.Series, item: Item) -> dict:
    """n, top-2 box with Wilson interval, median and quartiles (positively oriented answer
    categories, :func:`ordinal_quartiles`), ceiling share of one item."""
    col = values.dropna().astype(int)
    n = len(col)
    row = {"item_id": item.id, "figure": item.figure, "n": n}
    if item.ordinal:
        row.update(zip(("q1", "median", "q3"), ordinal_quartiles(col, item)))
    if item.type in RATED_TYPES and n:
        k = int(col.isin(item.top2_codes).sum())
        lo, hi = wilson_interval(k, n)
        exact_lo, exact_hi = clopper_pearson_interval(k, n)
        row.update(top2_count=k, top2_share=k / n, top2_ci_low=lo, top2_ci_high=hi,
                   ceiling_share=float((col == item.max_code).mean()), top2_exact_low=exact_lo, top2_exact_high=exact_hi)
    return row


def item_summary(df: pd.DataFrame, codebook: Codebook, publication: dict | None = None) -> pd.DataFrame:
    """One row per rated item. ``provenance`` and ``admissible_low`` / ``admissible_high`` say
    what the top-2 share rests on: ``data`` (observed answers: the range is the share itself),
    or, for an intake reconstructed from a ``publication`` (its reported.yaml), ``count``,
    ``bound``, ``quantifier`` or ``inferred`` with the range of shares the publication allows
    (:func:`analysis_utils.facts.admissible_top2`)."""
    from .facts import admissible_top2

    rows = []
    for item in codebook.items:
        if item.section == "administration" or not item.coded:
            continue
        row = summarise_item(df[item.id], item)
        share = row.get("top2_share")
        rated = row.get("top2_count") is not None and not pd.isna(row["top2_count"])
        row.update(provenance="data" if rated else None, admissible_low=share, admissible_high=share)
        if publication is not None and rated:
            n = row["n"]
            kind, low, high = admissible_top2(item, n, publication["facts"], publication.get("claims", []))
            row.update(provenance=kind, admissible_low=low / n, admissible_high=high / n)
        rows.append(row)
    table = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return table.astype({"figure": "Int64", "top2_count": "Int64"})


def _allows(r) -> str:
    """What the publication says of an item's top-2 share, for the summary view."""
    if pd.isna(r["admissible_low"]):
        return ""
    if r["admissible_low"] == r["admissible_high"]:
        return _({"count": N_("gives the number"), "bound": N_("fixes it in words")}.get(r["provenance"], r["provenance"]))
    word = _({"quantifier": N_("a word allows"), "inferred": N_("not stated:")}.get(r["provenance"], r["provenance"]))
    return f"{word} {interval_text(r['admissible_low'], r['admissible_high'])}"


def summary_view(summary: pd.DataFrame, codebook: Codebook, figures: list[int], lang: str = "en") -> pd.DataFrame:
    """The item summary of some figures, formatted for reading: whole percentages, the Wilson
    interval (the exact Clopper–Pearson interval is in ``item_summary.csv``, not to widen the page)."""
    rows = []
    for _i, r in summary[summary["figure"].isin(figures)].iterrows():
        item = codebook.item(r["item_id"])
        show = (lambda x: "" if pd.isna(x) else f"{pct(x)}")
        rows.append({
            _("Figuur"): r["figure"],
            "item": item.label(lang) + (_(" (reversed: scale turned)") if item.reversed else ""),
            "n": r["n"],
            _("top-2 %"): show(r["top2_share"]),
            _("95 % CI (Wilson)"): "" if pd.isna(r["top2_ci_low"]) else f"{show(r['top2_ci_low'])}–{show(r['top2_ci_high'])}",
            _("median [IQR]"): "" if pd.isna(r["median"]) else f"{r['median']:g} [{r['q1']:g}–{r['q3']:g}]",
            _("at maximum %"): show(r["ceiling_share"]),
            **({} if r["provenance"] == "data" else {_("the publication"): _allows(r)}),
        })
    table = pd.DataFrame(rows).set_index("item")
    table.index.name = None  # the row labels are the items: no index-name row
    return table


# --- what does not add up in the publication ------------------------------------------------------

def percent_checks(facts: list[dict], df: pd.DataFrame, n_max: int = 60) -> pd.DataFrame:
    """GRIM for every reported percentage: can it be k/n at its n, and which bases could give it."""
    pct_facts = [f for f in facts if f.get("kind") == "percent"]
    by_figure: dict = {}
    for f in pct_facts:
        by_figure.setdefault(f.get("figure"), []).append(f["percent"])
    rows = []
    for f in pct_facts:
        item = next(iter(f["where"]))
        n = int(df[item].notna().sum())
        nearest = min(range(n + 1), key=lambda j: abs(100 * j / n - f["percent"]))
        bases = possible_bases(by_figure[f.get("figure")], n_max=n_max)
        rows.append({
            "fact_id": f["id"], "figure": f.get("figure"), "seed_line": f.get("seed_line"),
            "reported": f"{f['percent']} %", "n": n,
            "possible at n": grim_consistent(f["percent"], n),
            "nearest k/n": f"{nearest}/{n} = {decimal(f'{100 * nearest / n:.1f}')} %",
            _("bases ≤ {n_max} giving all of the figure's percentages").format(n_max=n_max): ", ".join(map(str, bases)),
        })
    return pd.DataFrame(rows)


def claim_checks(claims: list[dict], df: pd.DataFrame) -> pd.DataFrame:
    """Universal statements of the text ("every respondent ...") against the counts."""
    rows = []
    for c in claims:
        items = c["items"]
        observed = {i: (count(df, {i: c["codes"]}), int(df[i].notna().sum())) for i in items}
        short = {i: kn for i, kn in observed.items() if not OPS[c.get("op", "==")](kn[0], kn[1])}
        rows.append({
            "claim_id": c["id"], "figure": c.get("figure"), "seed_line": c.get("seed_line"),
            "the text says": f"“{c['quote']}”" if current() == "nl" and c.get("quote") else c["says"],
            "the counts say": "; ".join(f"{i}: " + _("{k} of {n}").format(k=k, n=n) for i, (k, n) in (short or observed).items()),
            "consistent": not short,
        })
    return pd.DataFrame(rows)


# --- the thesis's figures, redrawn ---------------------------------------------------------------

def figure_name(number: int, codebook: Codebook) -> str:
    """``figNN_<short-name>``: the group's name for a multi-item figure, else the item's."""
    items = codebook.by_figure(number)
    if items[0].group:
        return items[0].group
    return f"fig{number:02d}_{items[0].id.split('_', 1)[1]}"


WORDED = ("quantifier", "inferred")  # provenances whose top-2 share the text does not give as a number


def worded_items(summary: pd.DataFrame | None) -> set[str]:
    """Items whose top-2 share the publication only words ('het merendeel') or leaves open."""
    if summary is None or "provenance" not in summary:
        return set()
    return set(summary.loc[summary["provenance"].isin(WORDED), "item_id"])


def worded_ranges(summary: pd.DataFrame | None, codebook: Codebook, lang: str = "en") -> dict[str, str]:
    """Item label -> what the publication allows for its top-2 share, for the items whose share
    it only words or leaves open (e.g. 'asking for help easily' -> '68–100 %')."""
    rows = summary[summary["item_id"].isin(worded_items(summary))] if summary is not None else []
    return {codebook.item(r["item_id"]).label(lang): interval_text(r['admissible_low'], r['admissible_high'])
            for _, r in (rows.iterrows() if len(rows) else [])}


def figure_alt(number: int, codebook: Codebook) -> str:
    """The figure's caption in plain words, as its alternative text."""
    first = codebook.by_figure(number)[0]
    if first.group:
        g = codebook.groups[first.group]
        nl, en = g.stem_nl, g.stem_en
    else:
        nl, en = first.shown_wording("nl"), first.wording_en
    return f"Figuur {number}: {nl}" + ("" if current() == "nl" else f" — {en}")


def figure_caption(number: int, codebook: Codebook, freq: pd.DataFrame, worded: set[str] = frozenset()) -> str:
    """Markdown caption quoting the Dutch item wording, with its English translation and n, and
    which bars rest on a word of the text rather than a count."""
    items = codebook.by_figure(number)
    first = items[0]
    if first.group:
        g = codebook.groups[first.group]
        nl, en = g.stem_nl, g.stem_en
    else:
        nl, en = first.shown_wording("nl"), first.wording_en
    ns = freq[freq["figure"] == number].groupby("item_id", sort=False)["n"].first()
    n_text = f"n = {ns.min()}" if ns.min() == ns.max() else f"n = {ns.min()}–{ns.max()}"
    caption = f"**Figuur {number}.** *{nl}*" + ("" if current() == "nl" else f" — {en}") + f" ({n_text})"
    from .cleaning import GOALS_V1

    if first.id == GOALS_V1:
        caption += ". " + _("Worded negatively: a positive judgement had to be a 1 or 2, and the author writes that "
                            "most clients had not understood this (lines 2227–2231), while she reads every answer as "
                            "\"dezelfde doelen\" (line 1787). The bars show the answers as given; they can be read as "
                            "neither agreement nor disagreement")
    marked = [i for i in items if i.id in worded]
    if marked and first.type == "scale":
        caption += ". " + (_("In all bars the thesis gives no number for the positive share, only a word (\"het "
                             "merendeel\", \"enkele\") or nothing: the bar is the reconstruction's reading, inside the "
                             "range shown in the table below.") if len(marked) == len(items) else
                           _("In hatched bars the thesis gives no number for the positive share, only a word (\"het "
                             "merendeel\", \"enkele\") or nothing: the bar is the reconstruction's reading, inside the "
                             "range shown in the table below."))
    return caption


def draw_figure(number: int, freq: pd.DataFrame, codebook: Codebook, lang: str = "en", worded: set[str] = frozenset()):
    """Redraw thesis figure ``number`` from the frequency table; return the matplotlib Figure.
    Items in ``worded`` (see :func:`worded_items`) are drawn hatched."""
    import matplotlib.pyplot as plt

    from . import plots

    items = codebook.by_figure(number)
    data = freq[freq["item_id"].isin([i.id for i in items])].copy()
    data["label"] = data["label_nl" if lang == "nl" else "label_en"]
    data["item"] = data["item_id"].map({i.id: i.label(lang) for i in items})
    first = items[0]
    if first.type == "scale":
        fig, ax = plt.subplots(figsize=(8, 0.42 * len(items) + 1.8))
        plots.diverging_bars(data, y="item", hue="category_code", x="count", neutral=first.scale.neutral, ax=ax,
                             worded={i.label(lang) for i in items if i.id in worded},
                             turned={i.label(lang) for i in items if i.reversed})
        if len(items) == 1:
            ax.set_yticks([0], labels=[""])
    else:
        fig, ax = plt.subplots(figsize=(8, 0.36 * len(data) + 1.1))
        plots.count_bars(data, y="label", x="count", ax=ax)
    fig.tight_layout()  # no title: the caption under the figure names it (and is its alt text)
    return fig


def save_figure(fig, figures_dir: str | Path, name: str) -> Path:
    path = Path(figures_dir) / f"{name}.png"
    fig.savefig(path, bbox_inches="tight", metadata={"Software": None})
    return path


# --- stage plumbing --------------------------------------------------------------------------------

def load_stage01(processed_dir: str | Path) -> tuple[pd.DataFrame, dict, Codebook]:
    """What stage 01 wrote: the processed answers, its manifest, and the codebook it used."""
    import json

    from .codebook import load_codebook

    processed_dir = Path(processed_dir)
    manifest = json.loads((processed_dir / "manifest.json").read_text("utf-8"))
    return read_processed(processed_dir / "responses.csv"), manifest, load_codebook(manifest["questionnaire_version"])


def write_table(table: pd.DataFrame, tables_dir: str | Path, name: str) -> str:
    """Write a table as CSV (floats rounded to 4 decimals, LF endings); return its file name."""
    out = table.copy()
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].round(4)
    out = neutralise_csv(out)  # no text cell a spreadsheet would run as a formula
    out.to_csv(Path(tables_dir) / f"{name}.csv", index=False, lineterminator="\n")
    return f"{name}.csv"


def show_figures(numbers: list[int], freq: pd.DataFrame, codebook: Codebook, lang: str,
                 figures_dir: str | Path, summary: pd.DataFrame | None = None) -> None:
    """Draw, save and display thesis figures with their captions (for the notebooks). The saved
    PNG is what is shown, so each figure is rendered once."""
    import matplotlib.pyplot as plt
    from IPython.display import Image, Markdown, display

    worded = worded_items(summary)
    for number in numbers:
        fig = draw_figure(number, freq, codebook, lang, worded)
        path = save_figure(fig, figures_dir, figure_name(number, codebook))
        plt.close(fig)
        display(Image(filename=str(path), alt=figure_alt(number, codebook)))
        display(Markdown(figure_caption(number, codebook, freq, worded)))


REPRODUCTION_STATUS = {
    N_("exact"): N_("the thesis gives the count and the data hold it"),
    N_("within bound"): N_("an inequality or a universal statement of the text holds"),
    N_("quantifier reading"): N_("the data hold the project's reading of a word such as \"het merendeel\""),
    N_("assumption"): N_("the project's own assumption holds; the text does not say it"),
    N_("match"): N_("holds"),
    N_("nearest possible"): "",
    N_("mismatch"): "",
}


def reproduction_view(table: pd.DataFrame, facts: list[dict]) -> pd.DataFrame:
    """The reproduction table for reading: the Dutch report gives each fact in the thesis's own
    words (its verbatim quote) where the English one describes it in English."""
    t = table.copy()
    if current() == "nl":
        by_id = {f["id"]: f for f in facts}
        t["reported"] = [f"“{by_id[i]['quote']}”" if by_id.get(i, {}).get("quote") else
                         in_language(by_id.get(i, {"reported": r}), "reported") for i, r in zip(t["fact_id"], t["reported"])]
    return t


def reproduction_summary(table: pd.DataFrame, n: int, reconstructed: bool = False) -> str:
    counts = table["status"].value_counts()
    parts = [f"{counts[s]} {_(s)}" + (f" ({_(REPRODUCTION_STATUS[s])})" if REPRODUCTION_STATUS.get(s) else "")
             for s in REPRODUCTION_STATUS if counts.get(s, 0)]
    text = _("Of {k} facts the thesis reports: {parts}.").format(k=len(table), parts="; ".join(parts))
    if reconstructed:
        text += " " + _("This intake was built to satisfy every fact, so the table checks the reconstruction, not "
                        "the thesis: a fact that holds here confirms nothing, and a quantifier reading is one point "
                        "of the range its word allows.")
    if counts.get("nearest possible", 0):
        text += " " + _("“Nearest possible” marks a reported percentage that no whole count of the {n} answers can "
                        "give; the data hold the closest count.").format(n=n)
    if counts.get("mismatch", 0):
        bad = ", ".join(table.loc[table["status"] == "mismatch", "fact_id"])
        text += " " + _("Facts that do not hold in this intake: {facts}.").format(facts=bad)
    return text


def publication_checks_summary(grim: pd.DataFrame, claims: pd.DataFrame, contradictions: list[dict] = ()) -> str:
    """What does not add up in the publication: impossible percentages, universal statements the
    counts contradict, and statements of the text that contradict each other (quoted)."""
    from .escaping import md

    lines = []
    for _i, r in grim.iterrows():
        if not r["possible at n"]:
            lines.append("- " + _("Figuur {figure}: {reported} cannot be a share of n = {n} (nearest {nearest}). "
                                  "Bases up to 60 that give every percentage of the figure: {bases}.").format(
                figure=r["figure"], reported=r["reported"], n=r["n"], nearest=r["nearest k/n"], bases=r.iloc[-1]))
    for _i, r in claims[~claims["consistent"]].iterrows():
        lines.append("- " + _("Figuur {figure} (line {line}): {says}; the counts: {counts}.").format(
            figure=r["figure"], line=r["seed_line"], says=r["the text says"], counts=r["the counts say"]))
    for c in contradictions:
        quotes = "; ".join(f"“{md(q['quote'])}” ({_('line')} {q['seed_line']})" for q in c["statements"])
        lines.append("- " + _("Figuur {figure}: the text says that {says} — {quotes}.").format(
            figure=c.get("figure"), says=md(in_language(c, "says")), quotes=quotes))
    if not lines:
        return _("Every reported percentage and universal statement agrees with the counts.")
    return "\n".join(lines)


def by_group_view(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """:func:`top2_by_group` for reading: one row per item (in questionnaire order), n and top-2 %
    of each group side by side, headers in words; suppressed cells read as they are stored."""
    items = list(dict.fromkeys(table["item"]))
    wide = table.pivot(index="item", columns=by, values=["n", "top-2 %"]).reindex(items)
    wide.columns = [f"{group}: {_('top-2 %') if what == 'top-2 %' else 'n'}" for what, group in wide.columns]
    groups = list(dict.fromkeys(table[by]))
    order = [f"{g}: {w}" for g in groups for w in ("n", _("top-2 %"))]
    wide = wide[order].astype(object).where(wide[order].notna(), "")
    wide.index.name = None
    return wide


def top2_by_group(df: pd.DataFrame, codebook: Codebook, by: str, figures: list[int], lang: str = "en",
                  threshold: int = 5, items: list[str] | None = None) -> pd.DataFrame:
    """Top-2 share of the relationship items per group (e.g. per team), small cells suppressed;
    ``items`` keeps only those items of the figures.

    A group with fewer than ``threshold`` respondents is not shown at all; within a group, a
    count below ``threshold`` is shown as ``<threshold`` and its percentage left blank.
    """
    from .privacy import suppress_small_cells

    rows = []
    sizes = df[by].value_counts()
    for group in sorted(sizes.index[sizes >= threshold]):
        sub = df[df[by] == group]
        for fig in figures:
            for item in codebook.by_figure(fig):
                if items is not None and item.id not in items:
                    continue
                col = sub[item.id].dropna()
                k = int(col.isin(item.top2_codes).sum())
                rows.append({by: group, "figure": fig, "item": item.label(lang), "n": len(col), "top2_count": k,
                             "top-2 %": percent_of(k, len(col)) if len(col) else pd.NA})
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return suppress_small_cells(table, ["n", "top2_count"], threshold, dependent_columns=["top-2 %"])

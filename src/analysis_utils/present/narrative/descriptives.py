"""Chapter 02's sentences: what the reproduction table shows, what does not add up in the
publication, and which numbers the publication fixes."""
from __future__ import annotations

import pandas as pd

from ...fmt import pct, pct_text
from ...i18n import N_, _, current, decimal, in_language
from ..escaping import md
from ..labels import counts_text
from .common import and_

REPRODUCTION_STATUS = {
    N_("exact"): N_("the thesis gives the count and the data hold it"),
    N_("within bound"): N_("an inequality or a universal statement of the text holds"),
    N_("quantifier reading"): N_("the data hold the project's reading of a word such as \"het merendeel\""),
    N_("either reading"): N_("the text says it one way here and another way elsewhere; the data hold what both "
                             "readings allow"),
    N_("no count stated"): N_("the text says it without a number or a quantifier, so it fixes no count"),
    N_("assumption"): N_("the project's own assumption holds; the text does not say it"),
    N_("match"): N_("holds"),
    N_("nearest possible"): "",
    N_("mismatch"): "",
}


def reproduction_summary(table: pd.DataFrame, n: int, reconstructed: bool = False) -> str:
    """How many reported facts hold, by what they rest on."""
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


def claim_words(claims: list[dict]) -> dict[str, str]:
    """What each universal claim of the text says, in the report's language: the Dutch report
    quotes the thesis, the English one describes it; a claim that adds to its quote how it is read
    (``says_nl``, e.g. "the author's reading") keeps that in Dutch too."""
    if current() == "nl":
        return {c["id"]: c.get("says_nl") or (f"“{c['quote']}”" if c.get("quote") else c["says"]) for c in claims}
    return {c["id"]: c["says"] for c in claims}


def publication_checks_summary(grim: pd.DataFrame, claims: pd.DataFrame, claim_says: dict[str, str],  # long: the checks
                               contradictions: list[dict] = (), worded=frozenset(), codebook=None) -> str:
    """What does not add up in the publication: impossible percentages, universal statements the
    counts contradict, and statements of the text that contradict each other (quoted)."""
    lines = []
    for _i, r in grim[~grim["possible"].astype(bool)].iterrows():
        nearest = f"{r['nearest']}/{r['n']} = {decimal(f'{100 * r.nearest / r.n:.1f}')} %"
        lines.append("- " + _("Figuur {figure}: {reported} cannot be a share of n = {n} (nearest {nearest}). "
                              "Bases up to 60 that give every percentage of the figure: {bases}.").format(
            figure=r["figure"], reported=f"{r['percent']} %", n=r["n"], nearest=nearest,
            bases=", ".join(map(str, r["bases"]))))
    for _i, r in claims[~claims["consistent"].astype(bool)].iterrows():
        counts = counts_text(r["counts"], worded, codebook)
        lines.append("- " + _("Figuur {figure} (line {line}): {says}; the counts: {counts}.").format(
            figure=r["figure"], line=r["seed_line"], says=claim_says[r["claim_id"]], counts=counts))
    for c in contradictions:
        quotes = "; ".join(f"“{md(q['quote'])}” ({_('line')} {q['seed_line']})" for q in c["statements"])
        lines.append("- " + _("Figuur {figure}: the text says that {says} — {quotes}.").format(
            figure=c.get("figure"), says=md(in_language(c, "says")), quotes=quotes))
    if not lines:
        return _("Every reported percentage and universal statement agrees with the counts.")
    return "\n".join(lines)


def split_rule_note(manifest: dict, summary: pd.DataFrame | None = None) -> str:
    """For a reconstructed intake: which of the numbers above the publication fixes."""
    if manifest["source"] != "reconstructed-from-publication":
        return ""
    fixed = ""
    if summary is not None and "provenance" in summary:
        k = summary["provenance"].dropna().value_counts()
        fixed = _("Of the {total} rated items of the codebook (the items of Figuur 10 and 11 are read from the "
                  "thesis's prose: the figures are lost), the thesis fixes the top-2 share of {count} by a number it gives and of "
                  "{bound} by a universal statement alone (\"elke\", \"iedereen\", \"geen enkele\"; *fixes it by a "
                  "statement about everybody*). For {quantifier} it uses only a verbal quantifier (\"het merendeel\", \"enkele\", "
                  "\"afgezien van enkele\", \"vaker\"): the text allows a range, shown in the column *the "
                  "publication*; the point the reconstruction's rule picked inside it is no result and is not shown. For "
                  "{contested} it says one thing here and another elsewhere (\"elke\", then \"bijna iedereen\"): "
                  "the range the two readings together allow is kept. For {inferred} the text says nothing that pins the "
                  "share.").format(
            total=int(k.sum()), count=k.get("count", 0), bound=k.get("bound", 0), quantifier=k.get("quantifier", 0),
            contested=k.get("contested", 0), inferred=k.get("inferred", 0)) + " "
        unbounded = summary[(summary["provenance"] == "quantifier") & (summary["admissible_low"] <= 0)
                            & (summary["admissible_high"] >= 1)]
        if len(unbounded):  # named in a comparison or a sentence, but nothing the words say bounds the share
            fixed += _("Of those with a quantifier, the words bound nothing for {k} (0–100 %: *named in the sentence with …, which "
                       "bounds no share*).").format(k=len(unbounded)) + " "
    return (_("> **Which numbers the publication fixes.**") + " " + fixed
            + _("n is the thesis's own throughout. Where the thesis gives only a positive total (\"tevreden tot zeer "
                "tevreden\"), how it splits between the two highest answers is the reconstruction's documented rule "
                "(21 : 6, from Figuur 21; 1 : 1 for the expectations the thesis says fewer rated ‘very important’, lines "
                "1697, 1904–1908): for those items the table gives the share at the maximum as the range the "
                "publication allows, and no median."))


def no_teams(table=None, min_cell_size: int = 5, asked: bool = True) -> str:
    """Why no per-team table is shown: the questionnaire does not ask (``asked`` False), one team
    only (``table`` None), or none that can be shown (:func:`~analysis_utils.intake.privacy.hidden_groups`)."""
    if not asked:
        return _("This version of the questionnaire does not ask for the team or site.")
    if table is None:
        return _("This intake records a single team or site.")
    return _("The answers are not shown per team or site: with teams this small (fewer than {n} respondents, or so "
             "few left in the rest of the round), they could point to a person.").format(n=min_cell_size)


def team_note(mix: pd.DataFrame | None, min_cell_size: int = 5) -> str:
    """How far the per-team shares can be told apart, and how each team took the questionnaire
    (``mix``: :func:`analysis_utils.chapters.descriptives.team_mix`): a difference of teams may
    partly be one of interview mode. A count of a mode below ``min_cell_size`` is not given."""
    if mix is None:
        return ""
    sizes = sorted(mix["n"], reverse=True)
    text = _("With teams of {sizes} respondents, a difference between two teams' shares is known only to within about "
             "±{half} points (a 95 % interval of a difference around 50 %{smallest}): these are descriptions, not "
             "tests; chapter 3 compares the teams with a test, corrected for the number of comparisons.").format(
        sizes=and_([str(n) for n in sizes]), half=pct(mix["half_width"].iloc[0]),
        smallest=_(", between the two smallest") if len(sizes) > 2 else "")
    phone = mix["n"] - mix["face"]
    if ((mix["face"].between(1, min_cell_size - 1)) | phone.between(1, min_cell_size - 1)).any() or not phone.any():
        return text
    shares = mix["face"] / mix["n"]
    each = "; ".join(_("{team} {k} of {n} face to face ({share})").format(team=md(str(team)), share=pct_text(f / n),
                                                                        k=int(f), n=int(n))
                     for team, f, n in zip(mix.iloc[:, 0], mix["face"], mix["n"]))
    if shares.max() - shares.min() < 0.1:
        return text + " " + _("The teams' clients were questioned face to face in much the same proportion: {each}.").format(
            each=each)
    return text + " " + _("The teams' clients were not questioned the same way: {each}. Answers given face to face and "
                          "by telephone can differ (chapters 3 and 4), so a difference between teams may partly be one "
                          "of interview mode.").format(each=each)


def no_publication() -> str:
    return _("This intake has no `reported.yaml`: there is no publication to compare with.")


def nothing_to_check() -> str:
    return _("No publication to check for this intake.")


def inferred_follow_up() -> str:
    """Why the follow-up on concealment is the reconstruction's reading, not a finding."""
    return _("The thesis shows no question about what was concealed: it says only that the one-time concealments "
             "concerned money (\"Het ging dan over het achterhouden van geld\", lines 1871–1873). The answers below are the "
             "reconstruction's reading of that sentence, not counts the thesis gives; whether the one client who "
             "concealed something two to four times concealed money too, it does not say.")

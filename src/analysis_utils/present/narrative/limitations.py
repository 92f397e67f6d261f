"""Chapter 04's sentences: the limits the thesis names, non-response, precision, the interview
mode, the ceiling, the pilots and the goals item, representativeness, what the questionnaire
covers, and what the published figures fix."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...codebook import GOALS_V1
from ...fmt import ci_text, count_word, p_text, pct, pct_text
from ...i18n import N_, _, current, language, ngettext
from ...stats.identification import RANK_BISERIAL
from ...stats.limits import ANY_THRESHOLD
from ...stats.intervals import wilson_interval
from ...theory_map import constructs
from ..escaping import md
from ..labels import construct_name, value
from ..limits import ends
from .common import and_, tables_summary


def response_text(n: int, approached: int, bounds: pd.DataFrame, from_publication: bool = True) -> str:
    """Response, and what non-response allows (Manski bounds): for a share the publication fixes
    only in words, over every count it admits, never from the reconstruction's point. The band is
    the share of non-respondents (its ends, rounded apart, may differ by a point more or less);
    the thesis's suspicion about its non-respondents is said to be of 2015 in any later round."""
    sat = bounds.iloc[0]
    widest = (bounds["best_case"] - bounds["worst_case"]).max()
    fixed = bool(sat.get("fixed", True))
    share = (_("observed {observed}").format(observed=pct_text(sat["observed"])) if fixed else
             _("whose share the publication fixes only between {low} and {high}").format(
                 low=pct_text(sat["share_low"]), high=pct_text(sat["share_high"])))
    suspects = (_("The thesis suspects that clients with a negative view are among them (lines 2150–2158).")
                if from_publication else
                _("For its own round (2015) the thesis suspects that clients with a negative view were among those who did "
                  "not answer (lines 2150–2158); this round's data cannot tell whether that holds here."))
    text = _("{n} of {approached} clients approached answered ({rate}); {missing} did not.").format(
        n=n, approached=approached, rate=pct_text(n / approached), missing=approached - n) + " " + suspects + " "
    text += _("If every non-respondent had answered negatively or positively, a share known exactly would lie in a "
              "band as wide as the share who did not answer, {band} points: {item} (Figuur {figure}), {share}, would "
              "lie between {worst} and {best} of all clients approached (ends rounded apart).").format(
        band=pct((approached - n) / approached), item=sat["item"], figure=sat["figure"], share=share,
        worst=pct_text(sat["worst_case"]), best=pct_text(sat["best_case"]))
    if widest > (approached - n) / approached + 1e-9:
        text += " " + _("A share it fixes only in words, or an item some did not answer, has a wider band (up to "
                        "{widest} points).").format(widest=pct(widest))
    return text


def precision_text(n: int, widths: dict, mdd: dict) -> str:
    (k1, k2) = (round(share * n) for share in (0.5, 0.9))  # the counts interval_width takes
    half, ninety = (pct(b) - pct(a) for a, b in (wilson_interval(k, n) for k in (k1, k2)))  # of the ends shown
    parts = [_("At n = {n} a Wilson 95 % interval is {half} points wide at {k1} of {n} ({p1}) and {ninety} points at "
               "{k2} of {n} ({p2}).").format(n=n, half=half, ninety=ninety, k1=k1, k2=k2,
                                              p1=pct_text(k1 / n), p2=pct_text(k2 / n))]
    for label, m in mdd.items():
        if m["share_to"] == m["share_to"]:
            drop = _("only a difference at least as large as {start} satisfied in the group of {stays} (the share over "
                     "all respondents) against {end} or less in the group of {drops}").format(
                start=pct_text(m["share_from"]), end=pct_text(m["share_to"]), drops=m.get("n_drops", "?"),
                stays=m.get("n_stays", "?"))
        else:
            drop = _("no drop at all from a share of {start} (the share over all respondents)").format(start=pct_text(m["share_from"]))
        how = (_("Fisher's exact test, α = .05, two-sided, power computed exactly") if m["test"].startswith("Fisher")
               else _("two-sided test of two shares, α = .05, normal approximation"))
        parts.append(_("Two groups of {groups} detect with 80 % power ({how}) {drop}; for mean scores a t-test would "
                       "need Cohen's d = {d:.2f}.").format(groups=label, how=how, drop=drop, d=m["cohen_d"]))
    return " ".join(parts)


def mode_text(df: pd.DataFrame, subgroups: pd.DataFrame | None, reconstructed: bool,
              identification: pd.DataFrame | None = None) -> str:
    counts = df["interview_mode"].value_counts()
    text = _("{face} questionnaires were taken face to face and {phone} by telephone. Face to face, with the "
             "interviewer present, answers may lean towards what is socially desirable (lines 2166–2177); by "
             "telephone, anonymity is better but explanation harder.").format(
        face=counts.get("face to face", 0), phone=counts.get("telephone", 0)) + " "
    if subgroups is None or subgroups.empty:
        return text
    mode = subgroups[subgroups["grouping"] == "interview_mode"]
    if reconstructed and identification is not None:
        rows = identification[(identification["grouping"] == "interview_mode") & (identification["marginals_id"] == "admissible")
                              & (identification["quantity_id"] == RANK_BISERIAL)]  # over every count the publication admits
        whole = (rows["lower"] <= -1 + 1e-9) & (rows["upper"] >= 1 - 1e-9)
        text += _("Whether the two modes differ cannot be known from the publication: for {full} of the {k} outcomes "
                  "compared, the published figures allow any rank-biserial correlation between modes, from -1.00 to "
                  "1.00 (table `identification.csv`).").format(full=int(whole.sum()), k=len(rows))
        rest = [(_("{outcome}: {low:.2f} to {high:.2f}") if r["sharp"] else _("{outcome}: a search reached {low:.2f} to {high:.2f}, and the true range may be wider"))
                .format(outcome=construct_name(r["outcome"]) if r["outcome"] in constructs() else value(r["outcome"]),
                        low=r["lower"], high=r["upper"]) for _i, r in rows[~whole].iterrows()]
        return text + (" " + ngettext("For the other: {ranges}.", "For the others: {ranges}.", len(rest)).format(
            ranges="; ".join(rest)) if rest else "")
    if reconstructed:
        return text + _("Whether the two modes differ cannot be known from the publication: over the reconstructions "
                        "the rank-biserial correlation between modes ranges from {low:.2f} to {high:.2f} across the "
                        "outcomes compared.").format(low=mode["effect_min"].min(), high=mode["effect_max"].max())
    tested = mode[mode["test"] != "none"]
    higher = tested["higher"].value_counts() if "higher" in tested else pd.Series(dtype=int)
    text += _("In this intake the rank-biserial correlation between modes lies between {low:.2f} and {high:.2f}; "
              "the smallest Holm-corrected p {p}.").format(
        low=tested["effect"].min(), high=tested["effect"].max(), p=p_text(tested["p_holm"].min()))
    if len(higher):
        k, total = int(higher.iloc[0]), len(tested)
        held = int(((tested["higher"] == higher.index[0]) & (tested["p_holm"] < 0.05)).sum())
        text += " " + (_("Respondents in the group ‘{group}’ score higher on all {total} outcomes") if k == total > 1 else
                       _("Respondents in the group ‘{group}’ score higher on the one outcome") if total == 1 else
                       _("Respondents in the group ‘{group}’ score higher on {k} of the {total} outcomes")).format(
            group=value(higher.index[0]), k=k, total=total) + (
            _("; after Holm's correction the difference holds for none of them.") if not held else
            _("; for {held} of them the difference holds after Holm's correction.").format(held=held))
    return text + " " + _("The two modes were not assigned at random: the clients who answered one way or the other "
                          "may differ in more than the mode (for instance in how they reach the OCMW), so these data "
                          "cannot tell socially desirable answers from a difference between the clients themselves.")


def ceiling_text(ceiling: pd.DataFrame, reconstructed: bool, codebook=None) -> str:
    """How many items crowd at the top of their scale; with a ``codebook`` that has the misread goals
    item, that it is left out of the figure."""
    left_out = (" " + _("The goals item (Figuur 17) is left out of the figure: its answers can be read neither as "
                        "agreement nor as disagreement.")) if codebook is not None and GOALS_V1 in codebook.item_ids else ""
    if reconstructed and "assumed" in ceiling:  # the frequency items are counted there: said apart
        return _fixed_at_top(ceiling) + _never_on_top(ceiling, codebook) + left_out
    return _ceiling_words(ceiling, codebook) + left_out


def _frequency_rows(ceiling: pd.DataFrame, codebook) -> pd.Series:
    """Which rows of the ceiling table are frequency items (how often something happened)."""
    if codebook is None or "figure" not in ceiling:
        return pd.Series(False, index=ceiling.index)
    return ceiling["figure"].map(lambda f: pd.notna(f) and codebook.by_figure(int(f))[0].type == "frequency")


def _frequency_names(rows: pd.DataFrame, codebook) -> str:
    return and_([codebook.by_figure(int(f))[0].label(current()) for f in rows["figure"]])


def _never_on_top(ceiling: pd.DataFrame, codebook) -> str:
    """The frequency items with half or more at the top: their most positive answer is 'never',
    which says nothing of a lean toward the top of a scale."""
    top = ceiling[_frequency_rows(ceiling, codebook) & (ceiling["ceiling_share"] >= 0.5)]
    items = _frequency_names(top, codebook)
    return (" " + _("{items} count how often something happened: their most positive answer (‘never’) tells nothing of "
                    "a lean toward the top of a scale.").format(items=items[:1].upper() + items[1:]) if len(top) else "")


AUTHOR_FIVES = N_("the author herself noticed that some clients (\"sommige cliënten\", lines 2189–2191) scored a five "
                  "\"relatief snel\" on scale items (line 2191).")


def _fixed_at_top(ceiling: pd.DataFrame) -> str:
    """A reconstruction: the shares at the top are mostly the split rule's; the publication fixes a few."""
    fixed = ceiling[~ceiling["assumed"].astype(bool)]
    return _("The publication fixes the share at the most positive category for {k} of the {total} rated items "
             "in the figure ({items}); for the others it gives only a positive total, a word or nothing, so how the answers split "
             "between the two most favourable answers is the reconstruction's documented rule (mostly 21 : 6, "
             "from Figuur 21), and the figure draws the range the publication allows. How far the answers crowd on the "
             "favourable side, chapter 2 shows; whether they also crowd in the single most favourable answer (a "
             "ceiling in the strict sense), the publication fixes only for those {k}; {author}").format(
        k=len(fixed), total=len(ceiling), items=and_([f"{r['item']} {pct_text(r['ceiling_share'])}"
                                                      for _i, r in fixed.iterrows()]), author=_(AUTHOR_FIVES))


def _ceiling_words(ceiling: pd.DataFrame, codebook) -> str:
    """Observed answers: how many scale items have half or more at the top, the frequency items
    left out of the count ('never' at the top is no lean toward the top of a scale)."""
    frequency = _frequency_rows(ceiling, codebook)
    left = ceiling[frequency]
    left_out = ("; " + ngettext("{items}, which counts how often something happened, is left out: its most positive "
                                "answer (‘never’) tells nothing of a lean toward the top of a scale",
                                "{items}, which count how often something happened, are left out: their most positive "
                                "answer (‘never’) tells nothing of a lean toward the top of a scale", len(left)).format(
        items=_frequency_names(left, codebook)) if len(left) else "")
    scale = ceiling[~frequency]
    k, total = int((scale["ceiling_share"] >= 0.5).sum()), len(scale)
    if k * 2 >= total and k:  # most items: little room at the top
        text = ngettext("{k} of the {total} scale items in the figure has half or more of its answers at the most "
                        "positive category (median {median}{left_out}). With so little room at the top, differences "
                        "between items, groups or rounds shrink; {author}",
                        "{k} of the {total} scale items in the figure have half or more of their answers at the most "
                        "positive category (median {median}{left_out}). With so little room at the top, differences "
                        "between items, groups or rounds shrink; {author}", k)
    else:
        text = (_("None of the {total} scale items in the figure has half or more of its answers at the most positive "
                  "category (median {median}{left_out}): the answers leave room at the top for differences between "
                  "items, groups or rounds. In 2015, {author}") if not k else
                ngettext("{k} of the {total} scale items in the figure has half or more of its answers at the most "
                         "positive category (median {median}{left_out}): the answers leave room at the top for "
                         "differences between items, groups or rounds. In 2015, {author}",
                         "{k} of the {total} scale items in the figure have half or more of their answers at the most "
                         "positive category (median {median}{left_out}): the answers leave room at the top for "
                         "differences between items, groups or rounds. In 2015, {author}", k))
    return text.format(k=k, total=total, median=pct_text(scale["ceiling_share"].median()), left_out=left_out,
                       author=_(AUTHOR_FIVES))


def pilot_text(coverage: pd.DataFrame, goals: dict | None, pilot_items: list[str]) -> str:
    short = coverage[coverage["item_id"].isin(pilot_items) & (coverage["missing_by_design"] > 0)]
    if short.empty:
        text = _("No pilot questionnaire is part of this intake, so no item lacks answers by design of the pilot.") + " "
    else:
        items = ", ".join(f"{r['item']} (n = {r['n']})" if "item" in r else f"`{r['item_id']}` (n = {r['n']})"
                          for _i, r in short.iterrows())
        text = _("The pilot questionnaires lacked some items, which therefore have a smaller n: {items}.").format(
            items=items) + " "
    if goals is None:
        return text + _("This questionnaire version asks whether client and social worker have the *same* goals, so "
                        "the misreading of the negatively worded 2015 item (lines 2225–2233) cannot arise.")
    read = _("The goals item (Figuur 17) asks about *different* goals, so agreeing is the negative answer. The "
             "author writes that a positive judgement had to be a 1 or 2, and that most clients had not understood "
             "this (lines 2227–2231); yet she reads every answer as \"dezelfde doelen\" (line 1787).")
    if goals.get("reconstructed"):  # the split is the reconstruction's rule, never a finding
        counts = _("How the {n} answers split between agreeing and disagreeing the thesis does not say (only that "
                   "\"de meeste\" misread the item, line 2231): the reconstruction's split — its own choice, not a "
                   "finding — gives {coded} of {n} the same goals taken literally and {other} of {n} read the way most "
                   "clients meant it; the author's reading counts all {author}.")
    else:
        counts = _("Taken literally, {coded} of {n} report the same goals; read the way most clients meant it, "
                   "{other} of {n} do; the author's reading counts {author} of {n}.")
    counts = counts.format(coded=goals["same_goals_as_coded"], other=goals["same_goals_read_other_way"],
                           author=goals["same_goals_author_reading"], n=goals["n"])
    return " ".join([text.rstrip(), read, counts, _(
        "No reading can be checked, so this report scores the item in no construct and reports it as neither "
        "agreement nor disagreement; the comparison across intakes leaves it out.")])


FRAMES = {
    "limit": N_("Named by the thesis as limits of its study or as disadvantages of its method:"),
    "procedure": N_("Described by the thesis as what was done, or as what the author felt while doing it — not called "
                    "a limit:"),
    "explanation": N_("Offered by the thesis as explanations of its positive results:"),
    "stated": N_("Stated by the thesis without calling it a limit — drawing a limit from it is this report's reading:"),
}


def own_limits_text(limits: list[dict], lang: str | None = None, thesis_round: bool = True) -> str:
    """The thesis's own limits as it frames them (``framed_as``: a limit, a procedure, an
    explanation, or a fact it states without calling it a limit), each with its verbatim Dutch
    fragment and line; for another round (not ``thesis_round``) said to be the 2015 study's."""
    lang = lang or current()
    with language(lang):
        line = _("line")
        blocks = [] if thesis_round else [_("The 2015 thesis names these limits of its own study: they describe "
                                            "that round, not this one.")]
        for frame, head in FRAMES.items():
            rows = [x for x in limits if x["framed_as"] == frame]
            if rows:
                blocks.append(_(head) + "\n\n" + "\n".join(
                    f"- {md(' '.join(x['nl' if lang == 'nl' else 'en'].split()))} — *\"{md(x['quote'])}\"* "
                    f"({line} {x['seed_line']})" for x in rows))
    return "\n\n".join(blocks)


def pilot_sensitivity_text(table: pd.DataFrame, reconstructed: bool) -> str:
    if table.empty:  # no pilot questionnaire: pilot_text said so just above
        return ""
    n_pilot = int(table["n_pilot"].max())
    known = table[table["fixed"].astype(bool)] if "fixed" in table else table
    if known.empty:
        text = _("The publication fixes the top-2 share of none of these items.")
    else:
        shown = known.assign(points=[pct(b) - pct(a) for a, b in zip(known["share_all"], known["share_main_only"])])
        biggest = shown.loc[shown["points"].abs().idxmax()]  # the difference of the percentages the table shows
        text = ngettext(
            "Left out, the {k} pilot questionnaire changes the top-2 share of the {items} headline relationship "
            "items whose share is known by at most {points} points ({item}: {with_} with, {without} without).",
            "Left out, the {k} pilot questionnaires change the top-2 share of the {items} headline relationship "
            "items whose share is known by at most {points} points ({item}: {with_} with, {without} without).",
            n_pilot).format(k=n_pilot, items=len(known), points=abs(int(biggest["points"])), item=biggest["item"],
                            with_=pct_text(biggest["share_all"]), without=pct_text(biggest["share_main_only"]))
        if reconstructed:
            text = _("In the reconstruction:") + " " + text
    if reconstructed and len(known):
        widest = (known["main_only_highest"] - known["main_only_lowest"]).max()
        moves = [max(pct(hi) - pct(a), pct(a) - pct(lo)) for a, lo, hi in
                 zip(known["share_all"], known["main_only_lowest"], known["main_only_highest"])]
        text += " " + _("Which answers the pilots gave is not published, so these values are the reconstruction's; any "
                        "arrangement the published counts allow puts each share without the pilots inside the "
                        "columns *{lowest}* and *{highest}*, a band at most {points} points wide, so leaving the "
                        "pilots out may change a share by up to {moves} points.").format(
            lowest=_("without, lowest"), highest=_("without, highest"), points=pct(widest), moves=max(moves))
    if reconstructed:
        loose = table[~table["fixed"].astype(bool)] if "fixed" in table else table.iloc[:0]
        if len(loose):
            text += " " + _("For {items} the thesis gives no count, so neither share is known: the table gives only the "
                            "band over every count its words admit.").format(items=and_(list(loose["item"])))
    return text


def representativeness_text(nat: dict, teams: int = 1, thesis_round: bool = True) -> str:
    """Who is represented: the share of Belgian respondents beside what the thesis says of Genk's
    population (for another round, not ``thesis_round``, said to be about the 2015 round), and whom
    the results describe: the clients who answered, not their team(s) as a whole."""
    words = dict(k=nat["k"], n=nat["n"], share=pct_text(nat["share"]), ci=ci_text(nat["ci_low"], nat["ci_high"]))
    said = (_("{k} of {n} respondents are Belgian ({share}, {ci}). The thesis notes that Genk, a former mining town, "
              "has a very diverse population and that clients of foreign origin are under-represented, perhaps "
              "through the language barrier or because they have meanwhile become Belgian (lines 2158–2164, "
              "2201–2211), but gives no figure for the population it could be compared with. Nationality is not "
              "origin: the share of Belgians does not say how many respondents are of foreign origin.") if thesis_round else
            _("{k} of {n} respondents are Belgian ({share}, {ci}). The 2015 thesis noted of its round in Genk that "
              "clients of foreign origin were under-represented, perhaps through the language barrier or because they "
              "had meanwhile become Belgian (lines 2158–2164, 2201–2211); for this round there is no figure on the "
              "clients of its teams to compare with. Nationality is not origin: the share of Belgians does not say "
              "how many respondents are of foreign origin."))
    # the results describe who answered, not the team(s) as a whole (review_fidelity2 #3): in the
    # thesis's round a convenience sample with 28 of 40 answering (lines 1324-1326, 2213-2219)
    if teams == 1:
        whom = (_("Only budget clients of one team of one OCMW were asked, and as a convenience sample (see below): "
                  "the results describe the {n} clients who answered, not all the team's clients and not budget "
                  "clients elsewhere.") if thesis_round else
                _("Only budget clients of one team of one OCMW were asked: the results describe the {n} clients of that "
                  "team who answered, not all its clients and not budget clients elsewhere."))
    else:
        whom = _("Budget clients of {teams} teams were asked: the results describe the {n} clients of those teams who "
                 "answered, not all their clients and not budget clients elsewhere.")
    return said.format(**words) + " " + whom.format(n=nat["n"], teams=count_word(teams))


def coverage_text(matrix: pd.DataFrame) -> str:
    """How many constructs the items score, as chapter 03 counts them: a role construct an item
    only indicates is not scored."""
    roles = {construct_name(cid) for cid, c in constructs().items() if c.get("reading") == "roles"}
    empty = [c for c, row in matrix.iterrows() if row.sum() == 0]
    indicated = [c for c, row in matrix.iterrows() if row.sum() > 0 and c in roles]
    single = [c for c, row in matrix.iterrows() if row.sum() == 1 and c not in roles]
    on: dict[str, list[str]] = {}  # item -> the single-item constructs that rest on it
    for c in single:
        on.setdefault(matrix.columns[matrix.loc[c] > 0][0], []).append(c)
    parts = "; ".join(_("{constructs} on the item *{item}*").format(constructs=and_(cs), item=item) if len(cs) == 1 else
                      _("{constructs} on one and the same item, *{item}*").format(constructs=and_(cs), item=item)
                      for item, cs in on.items())
    text = _("{scored} of {total} constructs of the thesis's theory are scored from at least one item").format(
        scored=len(matrix) - len(empty) - len(indicated), total=len(matrix))
    text += ("; " + ngettext("one rests on a single item: {parts}", "{k} rest on a single item: {parts}",
                             len(single)).format(k=len(single), parts=parts) if single else "") + "."
    if indicated:
        text += " " + ngettext("One more ({names}) is only indicated by an item, not scored.",
                               "{k} more ({names}) are only indicated by an item, not scored.", len(indicated)).format(
            k=len(indicated), names=", ".join(indicated))
    return text + (" " + _("Nothing measures: {empty} — chapter 3 gives the reason for each.").format(
        empty=", ".join(empty)) if empty else "")


def dependence_text(table: pd.DataFrame, reconstructed: bool) -> str:
    if not reconstructed:
        return _("This intake's answers are observed as given, so every result in this report is a result of the data.")
    loose = table[~table["fixed by the publication"]]
    ranged = loose[loose["lower"].notna()]

    def allowed(r) -> str:
        sharp = r.get("sharp")
        proven = sharp is None or (isinstance(sharp, float) and sharp != sharp) or bool(sharp)  # NaN: not given
        words = _("{result}: anything from {low} to {high}") if proven else _(
            "{result}: a search reached {low} to {high}, and the true range may be wider")
        low, high = ends(r.get("result_id", ""), r["lower"], r["upper"])
        text = words.format(result=value(r["result"]), low=low, high=high)  # result: in words
        outer = r.get("no value can lie outside")
        if not proven and isinstance(outer, str) and r.get("outer_finite", True):  # alpha's −∞ adds nothing
            text += " " + _("(no value outside {outer})").format(outer=outer)
        if r.get("result_id") == ANY_THRESHOLD and r["lower"] < 0.5:  # the counts allow few; the thesis's words fewer not
            text += " " + _("(as counts: \"Veel cliënten voelen zich nog steeds beschaamd\", line 2103, is not read as "
                            "one)")
        return text

    parts = "; ".join(allowed(r) for _i, r in ranged.iterrows())
    if len(ranged) < len(loose):  # single-item shares the thesis only words ("het merendeel")
        head = _("The published figures fix the single-item shares the thesis gives in numbers or in universal "
                 "statements it does not contradict. Those it only words (\"het merendeel\", \"enkele\", \"afgezien "
                 "van enkele\"), says two ways (\"elke\" on one page, \"bijna iedereen\" on another) or states "
                 "without any count (\"goed zit\") are the reconstruction's reading, inside the range the words "
                 "allow (chapter 2, column *the publication*; `item_summary.csv`), and so are the construct shares "
                 "that pool them.") + " "
    else:
        head = _("The published figures fix every single-item distribution, and with it every share, interval, "
                 "construct share and the importance-performance grid.") + " "
    text = head + _("Everything that depends on how one person's answers combine is open: over every arrangement of "
                    "the published answer counts, the published figures allow — {parts}. These are identified ranges "
                    "(table `identification.csv`): \"anything from\" where the bound is proven, \"a search reached\" "
                    "where a search found values that some arrangement reaches.").format(parts=parts)
    if "if unrelated" in table and table["if unrelated"].notna().any():
        text += " " + _("The column *if unrelated* shows the spread over random reconstructions, that is, typical "
                        "values if the items were unrelated — one scenario, not the limits.")
    return text


def table_written(intake_id: str, name: str, rows: int) -> str:
    """Where the chapter's table went, and how many rows it has."""

    return tables_summary(intake_id, [name]) + " " + _("{k} rows.").format(k=rows)

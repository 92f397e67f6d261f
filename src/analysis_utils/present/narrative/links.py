"""Chapter 03's list of the theory map's links: each item tied to a construct, whether the
passage it quotes makes the link (stated) or this report draws it (inferred, with the reason), with
its line and the verbatim Dutch quote."""
from __future__ import annotations

from ...i18n import _, current
from ..escaping import md
from ..labels import construct_name, item_label, value


def links_list(links: list[dict], codebook) -> str:
    """Every link as a Markdown list, grouped by construct (relations last): the item, how it is
    used, whether its quote states it or this report infers it (with the reason), the line and the
    verbatim Dutch quote."""
    lang, groups = current(), {}
    for x in links:
        head = construct_name(x["construct_id"]) if x["construct_id"] else _("relation: {what}").format(what=x[f"to_{lang}"])
        groups.setdefault(head, []).append(x)
    out = []
    for head, rows in groups.items():
        out.append(f"- **{md(head)}**")
        for x in rows:
            line = _("*{item}* — {use}, {support} (line {line}): \"{quote}\"").format(
                item=md(item_label(codebook, x["item"])), use=value(x.get("kind", x["use"])), support=value(x["support"]),
                line=x["seed_line"], quote=md(x["quote"]))
            if x["support"] == "inferred":
                line += " — " + _("reason: {reason}").format(reason=md(x["reason_nl" if lang == "nl" else "reason"]))
            out.append(f"    - {line}")
    return "\n".join(out)


def links_summary(links: list[dict]) -> str:
    """How the theory map's links rest on the text: stated by their quote, or inferred by this
    report (with a reason), and the relations shown but scored nowhere."""
    tied = [x for x in links if x["use"] != "relation"]
    stated = sum(x["support"] == "stated" for x in tied)
    relations = [x for x in links if x["use"] == "relation"]
    return _("{k} links tie an item to a construct. {stated} are stated by the passage they quote: the thesis makes "
             "the link itself. {inferred} are inferred by this report: the quote is the nearest the text comes, and the "
             "list gives the reason the link is drawn all the same. {relations} more statements tie an item to a "
             "condition, a context or a limit it does not measure (trust and the work on independence, safety and an "
             "open dialogue, the appointments and a limit of the help, conflicts and money, shame and a threshold): "
             "shown, scored nowhere.").format(k=len(tied), stated=stated, inferred=len(tied) - stated,
                                              relations=len(relations))

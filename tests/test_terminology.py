"""The Dutch as a Flemish lecturer writes it (issue 26): one term per concept, from the thesis's own
words where it has them (``locale/nl/terminology.yaml``), and none of the words ruled out for it in
any Dutch text a reader sees — the catalog, the notebooks' Dutch prose, the Dutch texts of the
resources and of the committed intakes. A verbatim quotation of the thesis is the thesis's own and
is never checked."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analysis_utils import i18n
from analysis_utils.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[1]
TERMINOLOGY = i18n.LOCALE_DIR / "nl" / "terminology.yaml"
PO = i18n.LOCALE_DIR / "nl" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
# A quoted span: “…”, "…", ‘…’ (a straight single quote is also an apostrophe: OCMW's).
QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|‘([^’]+)’")
ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[[^\]]*\])\s*")


def terms() -> list[dict]:
    return load_yaml(TERMINOLOGY.read_text("utf-8"))["terms"]


def rule(entry: dict) -> re.Pattern:
    """A ruled-out entry as a regular expression (see the head of terminology.yaml)."""
    flags = 0 if entry.get("case") == "exact" else re.IGNORECASE
    if "pattern" in entry:
        return re.compile(entry["pattern"], flags)
    if "exact" in entry:
        return re.compile(rf"(?<!\w){re.escape(entry['exact'])}(?!\w)", flags)
    return re.compile(rf"(?<!\w){re.escape(entry['word'])}\w*", flags)


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.fixture(scope="module")
def thesis() -> str:
    from thesis_text import load

    lines, _full = load()
    return _normal(" ".join(lines))


def unquoted(text: str, thesis: str) -> str:
    """``text`` without the quotations that stand verbatim in the thesis (each part of a quote
    shortened with "..." or "[is]" must)."""
    def keep(m: re.Match) -> str:
        quote = next(g for g in m.groups() if g is not None)
        parts = [p for p in ELLIPSIS.split(quote) if p.strip()]
        return " " if parts and all(_normal(p) in thesis for p in parts) else m[0]

    return QUOTED.sub(keep, text)


def _dutch_of_yaml(node, where: str):
    """Every Dutch text of a YAML document: values of keys ending in ``_nl`` or named ``nl``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and (str(key).endswith("_nl") or key == "nl"):
                yield f"{where}.{key}", value
            else:
                yield from _dutch_of_yaml(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _dutch_of_yaml(value, f"{where}[{i}]")


def dutch_texts() -> list[tuple[str, str]]:
    """(where, text) for every Dutch text a reader of the report sees."""
    from babel.messages.pofile import read_po

    found = []
    with PO.open("rb") as f:
        for m in read_po(f, locale="nl", domain=i18n.DOMAIN):
            if m.id:
                strings = m.string if isinstance(m.string, tuple) else (m.string,)
                first = m.id if isinstance(m.id, str) else m.id[0]
                found += [(f"catalog: {first[:60]!r}", s) for s in strings]
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text("utf-8"))["cells"]):
            if cell["cell_type"] == "markdown" and "lang-nl" in cell["metadata"].get("tags", []):
                found.append((f"{path.name} cell {i}", "".join(cell["source"])))
    yamls = sorted((ROOT / "src" / "analysis_utils" / "resources").glob("*.yaml")) + sorted((ROOT / "data" / "raw").glob("*/*.yaml"))
    for path in yamls:
        found += _dutch_of_yaml(load_yaml(path.read_text("utf-8")), str(path.relative_to(ROOT)))
    return found


def test_the_terminology_list_is_there_and_says_what_it_rules_out():
    listed = terms()
    assert len(listed) >= 15
    for t in listed:
        assert t["concept"] and t["nl"], t
        assert t["ruled_out"], f"{t['concept']}: nothing ruled out"
        for entry in t["ruled_out"]:
            assert len({"word", "exact", "pattern"} & set(entry)) == 1 and entry.get("why"), entry
            rule(entry)  # compiles
    chosen = {t["nl"] for t in listed}
    assert {"eindwerk", "grondhoudingen", "benaderde cliënten", "proefenquête", "afnamewijze", "enquêteur",
            "combinatie", "droefheid"} <= chosen


def test_the_chosen_terms_are_the_thesis_s_own_words():
    from thesis_text import load

    lines, _full = load()
    cited = [(t, q) for t in terms() for q in t.get("thesis", [])]
    assert len(cited) >= 10
    for t, q in cited:
        at = _normal(" ".join(lines[q["line"] - 1:q["line"] + 2]))
        assert _normal(q["quote"]) in at, f"{t['concept']}: {q['quote']!r} is not at line {q['line']}"


def test_the_rules_find_what_they_rule_out(thesis):
    def found(text: str) -> list[str]:
        text = unquoted(text, thesis)
        return [e.get("word") or e.get("exact") or e["pattern"] for t in terms() for e in t["ruled_out"]
                if rule(e).search(text)]

    assert found("Dat de scriptie zegt") == ["scriptie"]
    assert found("geen pilotvragenlijst, 95 % CI, α = .05, 26 van 28 zijn Belg") == ["pilot", "CI", r"[=<>≤≥] ?\d*\.\d",
                                                                                  r"\b(zijn|is) Belg\b"]
    assert found("een woord laat toe 54–100 %") and found("elke schikking") and found("70%")
    assert not found("een rangschikking, ter beschikking, 95 %-BI, α = 0,05, de cijfers, 70 %, seed_line")
    assert not found('opnieuw voor "angst of verdriet", regels 1953–1957')  # the thesis's own words, quoted
    assert found('opnieuw voor angst en verdriet')


def test_no_dutch_text_uses_a_ruled_out_word(thesis):
    texts = dutch_texts()
    assert len(texts) > 700  # the catalog (~600 entries), the notebooks' Dutch cells, the resources
    problems = []
    for where, text in texts:
        plain = unquoted(text, thesis)
        for t in terms():
            for entry in t["ruled_out"]:
                for m in rule(entry).finditer(plain):
                    problems.append(f"{where}: {m[0]!r} — write {t['nl']!r} ({entry['why']})")
    assert not problems, "\n".join(problems)


def test_the_dutch_pages_use_no_ruled_out_word(built, thesis):
    """What code composes (a "95 % CI" written by fmt, a stored "suppressed (< 5)") reaches only the
    pages: the rendered Dutch report is checked too, identifiers (q12_comm_clear, pilot_face_to_face,
    the processed data's column names) and the works cited left aside."""
    import pandas as pd

    from test_i18n import _Text

    out, index, _ = built
    columns = set(pd.read_csv(next(Path(out).rglob("data_dictionary.csv")))["column"])
    problems = []
    for page in sorted((index.parent / "nl").glob("*.html")):
        html = re.sub(r'<ol class="book-references">.*?</ol>', "", page.read_text("utf-8"), flags=re.S)
        parser = _Text()
        parser.feed(html)
        words = " ".join(w for part in parser.parts for w in part.split() if "_" not in w and w not in columns)
        plain = unquoted(words, thesis)
        for t in terms():
            for entry in t["ruled_out"]:
                problems += [f"nl/{page.name}: {m[0]!r} — write {t['nl']!r}" for m in rule(entry).finditer(plain)]
    assert not problems, "\n".join(problems)

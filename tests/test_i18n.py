"""The report in two languages from one catalog (issue 10 §3): every sentence the package or a
notebook shows has its Dutch, the compiled catalog is the one the translations make, every prose
cell has its Dutch twin, and the Dutch report holds no English."""
import io
import json
import re
import string
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis_utils import i18n

ROOT = Path(__file__).resolve().parents[1]
PO = i18n.LOCALE_DIR / "nl" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"

# Words that are English and not Dutch: one of them in a Dutch page is an untranslated sentence.
ENGLISH = {"the", "and", "with", "which", "were", "from", "than", "this", "that", "these", "those", "between",
           "answers", "answered", "share", "shows", "not", "each", "every", "only", "what", "who", "how", "when",
           "where", "because", "respondents", "reconstruction", "published", "thesis", "chapter"}


def _extracted() -> dict[str, list]:
    """Every message Babel extracts with the project's map (babel.cfg)."""
    from babel.messages.extract import extract_from_dir

    found = {}
    maps = [(ROOT / "src" / "analysis_utils", [("**.py", "python")]),
            (ROOT / "notebooks", [("**.ipynb", "analysis_utils.i18n:extract_notebook")]),
            (ROOT / "src" / "analysis_utils" / "resources", [("theory_map.yaml", "analysis_utils.theory_map:extract_theory_map")])]
    for folder, method_map in maps:
        for filename, lineno, message, comments, context in extract_from_dir(str(folder), method_map):
            key = message if isinstance(message, str) else message[0]
            found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


def _catalog():
    from babel.messages.pofile import read_po

    with PO.open("rb") as f:
        return read_po(f, locale="nl", domain=i18n.DOMAIN)


def test_every_sentence_of_the_report_has_its_dutch():
    extracted = _extracted()
    assert len(extracted) > 300  # the extraction itself works (the package holds ~400 sentences)
    catalog = _catalog()
    translated = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
    missing = [f"{where[0]}: {msg!r}" for msg, where in extracted.items()
               if msg not in translated or not all(translated[msg].string if isinstance(translated[msg].string, tuple)
                                                   else [translated[msg].string]) or translated[msg].fuzzy]
    assert not missing, "no Dutch (run `python -m analysis_utils catalog`, then translate in " \
                        f"{PO.relative_to(ROOT)}):\n" + "\n".join(missing)


def _fields(text: str) -> list[str]:
    return sorted(f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(text) if name is not None)


def test_translations_keep_every_placeholder_and_its_format():
    for m in _catalog():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for source, target in zip(ids, strings):
            assert _fields(source) == _fields(target), f"{source!r} -> {target!r}"


def test_the_compiled_catalog_is_made_from_the_translations():
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, _catalog())
    assert PO.with_suffix(".mo").read_bytes() == buffer.getvalue(), \
        "the .mo is stale: run `python -m analysis_utils catalog`"


def test_values_are_looked_up_as_terms_and_composite_labels_composed_from_ids():
    from analysis_utils.codebook import load_codebook
    from analysis_utils.present.labels import outcome_words, quantity_text, value

    cb = load_codebook()
    effect = {"quantity_id": "epsilon_squared", "outcome": "satisfaction", "grouping": "age_group"}
    alpha = {"quantity_id": "alpha_construct", "construct_id": "empathy"}
    with i18n.language("nl"):
        assert value("face to face") == "persoonlijk"
        assert value("age_group") == "leeftijdsgroep" and value("empathy") == "empathie"  # a variable, a construct
        assert quantity_text(effect, cb) == "epsilon²: tevredenheid naar leeftijdsgroep"
        assert quantity_text(alpha, cb) == "Cronbachs alfa: empathie"
        assert value("Team Noord") == "Team Noord"  # not a term: as it is
        assert value("satisfaction by age_group") == "satisfaction by age_group"  # nothing is parsed back
        assert value(3) == 3
    assert quantity_text(effect, cb, english=True) == "epsilon²: satisfaction by age_group"  # the CSV's words
    assert quantity_text(effect, cb) == "epsilon²: satisfaction by age group"
    assert outcome_words("unconditional_acceptance", cb) == "unconditional acceptance"
    assert value("face to face") == "face to face"
    assert i18n.current() == "en"  # the block restored the language


def test_an_unknown_language_fails_at_once():
    with pytest.raises(ValueError, match="unknown report language"):
        i18n.use("fr")


def test_every_prose_cell_has_its_dutch_twin():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = [c for c in json.loads(path.read_text("utf-8"))["cells"] if c["cell_type"] == "markdown"]
        tags = [tuple(t for t in c["metadata"].get("tags", []) if t.startswith("lang-")) for c in cells]
        assert all(len(t) == 1 for t in tags), f"{path.name}: a prose cell without its language tag"
        assert [t[0] for t in tags] == ["lang-en", "lang-nl"] * (len(cells) // 2), f"{path.name}: not in pairs"
        for en, nl in zip(cells[::2], cells[1::2]):
            heading = [re.match(r"#+ ", line)[0] for line in "".join(en["source"]).splitlines() if re.match(r"#+ ", line)]
            twin = [re.match(r"#+ ", line)[0] for line in "".join(nl["source"]).splitlines() if re.match(r"#+ ", line)]
            assert heading == twin, f"{path.name}: headings differ between {en['source'][0]!r} and {nl['source'][0]!r}"


class _Text(HTMLParser):
    """The words a reader sees: text and alternative texts, no style or script."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")
        self.parts += [v for k, v in attrs if k in ("alt", "title", "aria-label") and v]

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(page: str) -> list[str]:
    """English words of ENGLISH in a page's text (identifiers such as q12_comm_clear left aside)."""
    parser = _Text()
    parser.feed(page)
    words = [w.strip(".,;:()[]\"“”*'") for part in parser.parts for w in part.split()]
    return [w for w in words if w.lower() in ENGLISH and "_" not in w]


def test_the_word_check_finds_english():
    assert english_words("<p>De scriptie toont <b>the share</b> van de antwoorden</p>") == ["the", "share"]
    assert english_words('<img alt="the figure"><style>.the {}</style><p>q_the_share</p>') == ["the"]


def test_the_dutch_report_is_dutch_and_each_page_links_to_its_twin(built):
    _, index, _ = built
    nl = index.parent / "nl"
    pages = sorted(nl.glob("*.html"))
    assert [p.name for p in pages] == ["01_cleaning.html", "02_descriptives.html", "03_interpretation.html",
                                       "04_limitations.html", "index.html", "references.html"]
    for page in pages:
        text = page.read_text("utf-8")
        # works cited keep their titles in their own language
        found = english_words(re.sub(r'<ol class="book-references">.*?</ol>', "", text, flags=re.S))
        assert not found, f"nl/{page.name} shows English: {sorted(set(found))}"
        assert '<html lang="nl"' in text
        assert f'href="../{page.name}"' in text  # the English twin
        english = (index.parent / page.name).read_text("utf-8")
        assert f'href="nl/{page.name}"' in english and '<html lang="en"' in english
    assert ">Hoofdstukken<" in (nl / "index.html").read_text("utf-8")
    assert "Gevoelens: blijft er een drempel?" in (nl / "03_interpretation.html").read_text("utf-8")
    assert sorted(p.name for p in (nl / "figures").glob("*.png")) == sorted(p.name for p in (index.parent / "figures").glob("*.png"))


def test_a_table_never_shows_one_header_twice():
    import pandas as pd

    from analysis_utils.present.tables import for_people

    for lang in ("en", "nl"):
        shown = for_people(pd.DataFrame({"item_id": ["q08_satisfaction"], "item": ["tevredenheid"], "n": [28]}),
                           "item_id", lang)
        assert shown.index.tolist() == ["q08_satisfaction"] and len(set(shown.columns)) == len(shown.columns)
    with pytest.raises(ValueError, match="same header twice"):
        for_people(pd.DataFrame({"p_holm": [0.5], "p (Holm)": [0.4]}))


def test_decimals_take_the_language_s_mark():
    from analysis_utils import fmt
    from analysis_utils.present.narrative import common as narrative
    from analysis_utils.present.tables import for_people

    with i18n.language("nl"):
        assert i18n._("{low:.2f} to {high:.2f}").format(low=-0.271, high=1.0) == "-0,27 tot 1,00"
        assert i18n._("{k} of {n}").format(k=3, n=28) == "3 van 28"  # integers as they are
        assert "3,6 procentpunten" in narrative.one_person_note(28)
        assert fmt.p_text(0.0312) == "= 0,031" and fmt.p_text(0.0001) == "< 0,001"
        shown = for_people(__import__("pandas").DataFrame({"x": ["a"], "effect": [0.456], "value": ["0.723–0.988"]}), "x")
        assert shown.loc["a"].tolist() == ["0,46", "0,723–0,988"]
    assert fmt.p_text(0.0312) == "= 0.031" and "3.6 percentage points" in narrative.one_person_note(28)

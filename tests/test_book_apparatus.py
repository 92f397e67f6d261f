"""Issue 26 §2 and §4: the book's apparatus, on the run the suite shares (``built``).

Figures shown at the size they were drawn (their smallest text above 80 % of the body text,
checked in headless Chromium for the note; here: what guarantees it), each linked to its file
and described in its alternative text; a skip link, a dark scheme, A4 print; full-text search
(Pagefind) over both languages.
"""
import gzip
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis_utils.present import book

ROOT = Path(__file__).resolve().parents[1]


def _pages(report: Path) -> list[Path]:
    return sorted(report.glob("*.html")) + sorted((report / "nl").glob("*.html"))


def test_the_search_index_covers_both_languages_and_finds_trust_in_dutch(built):
    out, _, _ = built
    report = out / "reports" / "genk-2015"
    entry = json.loads((report / "pagefind" / "pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"en", "nl"}
    assert all(v["page_count"] == 6 for v in entry["languages"].values())  # the index, four chapters, references
    fragments = [json.loads(gzip.open(f).read()[len(b"pagefind_dcd"):]) for f in (report / "pagefind" / "fragment").iterdir()]
    dutch_03 = [f for f in fragments if f["url"] == "/nl/03_interpretation.html"]
    assert dutch_03 and "vertrouwen" in dutch_03[0]["content"].lower()
    assert "¶" not in dutch_03[0]["meta"]["title"]  # the headings' anchor marks are not indexed


def test_every_page_loads_the_search_from_the_reports_top_and_offers_a_skip_link(built):
    out, _, _ = built
    report = out / "reports" / "genk-2015"
    for page in _pages(report):
        html = page.read_text("utf-8")
        src = re.search(r'<script src="([^"]*pagefind/pagefind-ui\.js)"', html)
        assert src and (page.parent / src.group(1)).is_file(), page
        assert '<a class="book-skip" href="#book-content">' in html and 'id="book-content"' in html, page
        assert 'id="book-search"' in html and "data-pagefind-body" in html, page


def test_each_figure_links_to_its_file_and_says_what_it_shows(built):
    out, _, _ = built
    report = out / "reports" / "genk-2015"
    for page in [report / "02_descriptives.html", report / "nl" / "03_interpretation.html"]:
        html = page.read_text("utf-8")
        links = re.findall(r'<div class="jp-RenderedImage jp-OutputArea-output book-figure[^"]*">\s*<a href="([^"]+)"', html)
        assert links and all((page.parent / href).is_file() for href in links), page
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', (report / "02_descriptives.html").read_text("utf-8"))
    first = next(a for a in alts if a.startswith("Figuur 1:"))
    assert first.endswith("What is your gender? Answers: man 14 (50 %); woman 14 (50 %).") , first  # the finding
    emotions = next(a for a in alts if a.startswith("Figuur 10:"))
    assert "Share in the two most favourable answers" in emotions and emotions.count("%") >= 13
    # a negatively worded item's favourable share is its two lowest answers, as the tables count it
    summary = pd.read_csv(report / "tables" / "item_summary.csv").set_index("item_id")
    communication = next(a for a in alts if a.startswith("Figuur 12:"))
    hurried = round(100 * summary.loc["q12_comm_hurried", "top2_share"])
    assert f"hurried (reversed) {hurried} %" in communication and hurried > 50, communication
    # a share the thesis only words gives its range, never the reconstruction's counts (issue 25 §4)
    bond = next(a for a in alts if a.startswith("Figuur 9:"))
    assert bond.endswith("Answers: not fixed by the text, which allows 0–100 % in the two most favourable answers."), bond
    assert "calm not fixed by the text, which allows" in emotions and "gratitude 100 %" in emotions
    assert "shame (reversed) not fixed by the text" in emotions  # every negatively worded item is marked
    # chapters 03 and 04: each figure's alternative text gives its values, not only its title
    for name in ("03_interpretation.html", "04_limitations.html"):
        for lang in (report, report / "nl"):
            html = (lang / name).read_text("utf-8")
            for alt in re.findall(r'<img [^>]*alt="([^"]*)"', html):
                assert re.search(r"\d %|: \d+ items?", alt), (name, alt[:80])
    axes = re.findall(r'<img [^>]*alt="([^"]*)"', (report / "nl" / "03_interpretation.html").read_text("utf-8"))[2]
    assert re.search(r"bureaucratisch – gepersonaliseerd \d+ %", axes)


def test_figures_are_not_shrunk_and_never_drawn_with_small_text():
    """What keeps figure text legible at any width: the page shows a figure at its drawn size (a
    narrow screen scrolls its box), it is drawn at 120 dpi, and no text in it is below 8 pt
    (13.3 px: 90 % of the chapters' 14.7 px body text)."""
    css = book.css()
    assert re.search(r"\.book-figure img \{[^}]*max-width: none", css)
    assert re.search(r"\.book-figure \{[^}]*overflow-x: auto", css)
    plots = (ROOT / "src/analysis_utils/present/plots.py").read_text()
    figures = (ROOT / "src/analysis_utils/present/figures.py").read_text()
    assert '"savefig.dpi": 120' in plots and '"font.size": 10' in plots
    # every number in a fontsize argument, conditional ones included ("fontsize=8 if … else 6.5")
    sizes = [float(n) for arg in re.findall(r"fontsize=([^,)\n]+)", plots + figures)
             for n in re.findall(r"(?:^|\b(?:if|else)\s)\s*(\d+(?:\.\d+)?)", arg)]
    assert sizes and min(sizes) >= 8, sizes


@pytest.mark.parametrize("rule", [r"@media \(prefers-color-scheme: dark\)", r"@page \{ size: A4;",
                                  r"break-inside: avoid", r"\.book-skip:focus"])
def test_the_style_has_a_dark_scheme_a4_print_and_a_visible_skip_link(rule):
    assert re.search(rule, book.css())


def test_the_front_page_opens_with_the_question_the_answer_and_findings(built):
    out, _, _ = built
    report = out / "reports" / "genk-2015"
    from html import unescape

    # a reconstructed round's findings are what the published figures fix, not what its invented rows show
    for page, words in ((report / "index.html", ("The thesis's question", "Its own answer", "What the published figures fix")),
                        (report / "nl" / "index.html", ("De onderzoeksvraag van het eindwerk", "Het antwoord van het eindwerk zelf",
                                                         "Wat de gepubliceerde cijfers vastleggen"))):
        html = page.read_text("utf-8")
        section = unescape(html[html.index('<section class="book-findings">'):html.index("</section>")])
        assert all(w in section for w in words), page
        assert "Hoe ervaart de cliënt de hulpverleningsrelatie?" in section
        assert section.index("book-findings") < html.index("<dl>")  # the findings come before the facts of the run
        links = re.findall(r'<a href="([^"]+)">→</a>', section)
        assert len(links) >= 4 and all((page.parent / href).is_file() for href in links)
    assert "28 of 40 clients approached answered (70 %)" in (report / "index.html").read_text("utf-8")


@pytest.mark.parametrize("provenance,expected", [("quantifier", "not given as a number by the thesis: between 54–100 %"),
                                                 ("count", "79 %, as the thesis reports it"),
                                                 ("data", "79 % (95 % CI 60–90 %)")])
def test_a_number_says_where_it_comes_from(provenance, expected):

    from analysis_utils.i18n import language
    from analysis_utils.present.narrative.findings import share_words

    row = pd.Series({"provenance": provenance, "top2_share": 0.7857, "admissible_low": 15 / 28, "admissible_high": 1.0,
                     "top2_ci_low": 0.6, "top2_ci_high": 0.9})
    with language("en"):
        assert share_words(row) == expected


def test_every_citation_and_figure_reference_resolves_and_thesis_lines_carry_their_section(built):
    """Each work the prose names links to its entry on the references page of its language;
    each "Figuur N" to the figure's caption in chapter 02; line citations name their section."""
    out, _, _ = built
    report = out / "reports" / "genk-2015"
    cited = set()
    for page in _pages(report):
        html = page.read_text("utf-8")
        refs = (page.parent / "references.html").read_text("utf-8")
        for key in re.findall(r'href="references\.html#([^"]+)"', html):
            assert f'<li id="{key}">' in refs, (page.name, key)
            cited.add(key)
        for target, number in re.findall(r'href="(02_descriptives\.html)?#figuur-(\d+)"', html):
            assert f'id="figuur-{number}"' in (page.parent / (target or page.name)).read_text("utf-8"), (page, number)
    assert {"wilson1927", "holm1979", "driessens2006", "rogers1957", "kadushin1997"} <= cited
    chapter = (report / "nl" / "03_interpretation.html").read_text("utf-8")
    assert re.search(r"§2\.\d[\d.]*, regels? \d", chapter)


def test_the_references_page_lists_the_thesis_and_every_work_the_book_cites_in_both_languages(built):
    """Only the works the book's pages cite, with the thesis and Hoeffding beside Fréchet (cited as
    one, 'Fréchet–Hoeffding'): a new round's book listed the reconstruction's sources it never cites."""
    out, _, _ = built
    for page, unknown in ((out / "reports/genk-2015/references.html", "[author not in the available text]"),
                          (out / "reports/genk-2015/nl/references.html", "[auteur niet in de beschikbare tekst]")):
        html = page.read_text("utf-8")
        cited = {k for p in page.parent.glob("*.html") for k in re.findall(r'href="references\.html#([^"]+)"', p.read_text("utf-8"))}
        listed = set(re.findall(r'<li id="([^"]+)">', html))
        assert listed == cited | {"thesis2015", "hoeffding1940"}
        assert {"wilson1927", "frechet1951", "manski2003"} <= listed and "clopper1934" not in listed
        assert unknown in html and "De hulpverleningsrelatie door de ogen van de cliënt" in html


@pytest.mark.parametrize("line,section", [(589, "2.3.1"), (663, "2.3.5"), (760, "2"), (1205, "2.9.1"), (2343, "Algemeen besluit"), (2300, "4"), (2400, "Samenvatting"),
                                          (36, "Inleiding"), (1600, "3.2")])
def test_a_thesis_line_is_placed_in_its_section_only_where_that_is_certain(line, section):
    from analysis_utils.present.apparatus import section_of

    assert section_of(line) == section


def test_every_table_and_chapter_figure_is_numbered_with_its_caption(built):
    """Issue 26 §3/§4: each table of a chapter stands under a numbered caption ("Tabel 3.2"), each
    figure of chapters 03 and 04 over one ("Figuur 3.1"), numbered in reading order and anchored;
    the thesis's figures in chapter 02 keep their own numbers."""
    out, _, _ = built
    report = out / "reports" / "genk-2015"
    for page in _pages(report):
        if not page.name[:2].isdigit():
            continue
        html = page.read_text("utf-8")
        chapter = str(int(page.name[:2]))
        word = "Tabel" if page.parent.name == "nl" else "Table"
        tables = re.findall(r'<table[^>]*class="dataframe"', html)
        numbers = re.findall(rf'<strong id="table-{chapter}-(\d+)">{word} {chapter}\.(\d+)\.</strong>', html)
        assert len(numbers) == len(tables) > 0, (page, len(numbers), len(tables))
        assert [int(a) for a, b in numbers] == [int(b) for a, b in numbers] == list(range(1, len(tables) + 1))
        for caption_then_table in re.findall(r'<div class="book-table">(.*?)</table>', html, re.S):
            assert caption_then_table.index("book-table-caption") < caption_then_table.index("<table")
    for name, figures in (("03_interpretation.html", 5), ("04_limitations.html", 3)):
        html = (report / "nl" / name).read_text("utf-8")
        chapter = name[1]
        assert re.findall(rf'<strong id="figure-{chapter}-(\d+)">Figuur {chapter}\.\d+\.</strong>', html) == \
            [str(k) for k in range(1, figures + 1)]
    assert '<strong id="figuur-8">Figuur 8.</strong>' in (report / "nl" / "02_descriptives.html").read_text("utf-8")


def test_number_columns_are_right_aligned_and_words_left(built):
    """Text left, numbers right: a column is marked as numbers only when every cell of it is one."""
    out, _, _ = built
    html = (out / "reports" / "genk-2015" / "nl" / "03_interpretation.html").read_text("utf-8")
    table = re.search(r'Tabel 3\.1\..*?</table>', html, re.S).group(0)
    header = re.search(r"<thead>.*?</thead>", table, re.S).group(0)
    assert re.search(r"<th>construct</th>", header)  # the row labels' header, in words, not empty
    assert re.search(r'<th class="num">neutraal</th>', header)
    assert not re.search(r'<td class="num">[^<]*[a-z]{4}', table)  # no word in a number column
    from analysis_utils.present.apparatus import aligned
    mixed = "<table><tr><th></th><th>a</th></tr><tr><th>x</th><td>12 %</td></tr><tr><th>y</th><td>ja</td></tr></table>"
    assert aligned(mixed) == mixed


def test_sub_group_effects_that_are_no_finding_are_folded_behind_one_sentence(built):
    """Issue 26 §3: the ranges that allow a negligible effect are no finding: one sentence says how
    many, and their table opens from it (a <details> element); identification.csv keeps them all."""
    out, _, _ = built
    html = (out / "reports" / "genk-2015" / "nl" / "03_interpretation.html").read_text("utf-8")
    folded = re.search(r"<details><summary>(.*?)</summary>(.*?)</details>", html, re.S)
    assert folded and "geen van die effecten is een bevinding" in folded.group(1)
    k, m = map(int, re.search(r"Bij (\d+) van de (\d+) effecten", folded.group(1)).groups())
    rows = len(re.findall(r"<tr>\s*<th>", folded.group(2)))
    assert rows == k and 0 < k <= m


def test_a_range_that_reaches_a_negligible_effect_decides_nothing():

    from analysis_utils.chapters.interpretation import decided

    ranges = pd.DataFrame({"quantity_id": ["rank_biserial"] * 4 + ["epsilon_squared"] * 2,
                           "allowed_lower": [-0.5, 0.2, 0.05, 0.2, 0.00004, 0.02],
                           "allowed_upper": [0.6, 0.9, 0.7, 0.9, 0.9, 0.5],
                           "allowed_sharp": [True, True, True, False, False, True],
                           "outer_lower": [-1, -1, -1, -1, 0, 0], "outer_upper": [1, 1, 1, 1, 1, 1]})
    # the fourth: a search found nothing below 0.2, but nothing proves there is nothing
    assert decided(ranges).tolist() == [False, True, False, False, False, True]


def test_a_split_the_thesis_does_not_give_is_drawn_dotted_and_said_as_one_total(built):
    """Issue 25 §4: "tevreden tot zeer tevreden" gives the total of the two highest answers, not
    their split: the figure's caption says the dotted split is the reconstruction's, and the
    alternative text gives the one total the thesis gives."""
    out, _, _ = built
    html = (out / "reports" / "genk-2015" / "nl" / "02_descriptives.html").read_text("utf-8")
    alt = next(a for a in re.findall(r'<img [^>]*alt="([^"]*)"', html) if a.startswith("Figuur 8:"))
    assert alt.endswith("Antwoorden: tevreden – zeer tevreden 28 (100 %).")
    caption = re.search(r'<strong id="figuur-8">Figuur 8\.</strong>(.*?)</p>', html, re.S).group(1)
    assert "Bij de gestippelde staafdelen" in caption
    # Figuur 21 gives its split (21 'zeer goed'): no dotted caption there
    caption21 = re.search(r'<strong id="figuur-21">Figuur 21\.</strong>(.*?)</p>', html, re.S).group(1)
    assert "gestippelde" not in caption21


def test_which_low_answer_the_thesis_leaves_open_is_dotted_and_said_as_one_total(built, default_intake):
    """The thesis gives one personality match as 'slecht' (line 1803), not whether 'eerder niet'
    or 'zeker niet', and one client short of the 27 who expect freedom of choice (line 1676),
    not what that client answered. Their segments are the reconstruction's: the caption says so,
    and the alternative text gives the one total. Figuur 8, with nobody below the two highest,
    says nothing of it."""
    from analysis_utils.chapters import open_chapter

    out, _, _ = built
    html = (out / "reports" / "genk-2015" / "nl" / "02_descriptives.html").read_text("utf-8")
    alt = next(a for a in re.findall(r'<img [^>]*alt="([^"]*)"', html) if a.startswith("Figuur 18:"))
    assert alt.endswith("Antwoorden: zeker niet – eerder niet 1 (4 %); neutraal 4 (14 %); eerder wel – zeker wel 23 (82 %).")
    captions = {n: re.search(rf'<strong id="figuur-{n}">Figuur {n}\.</strong>(.*?)</p>', html, re.S).group(1)
                for n in (8, 11, 18)}
    below = "Ook bij de minder gunstige antwoorden zijn gestippelde staafdelen de keuze van de reconstructie"
    assert below in captions[11] and below in captions[18] and below not in captions[8]
    ch = open_chapter(str(default_intake), "en", str(out / "processed" / "genk-2015"), str(out / "chapter"))
    scale = {i: codes for i, codes in ch.allowed_counts.items() if codes and ch.codebook.item(i).type == "scale"}
    assert scale == {"q11_expect_freedom_of_choice": {1: (0, 1), 2: (0, 1), 3: (0, 1)},
                     "q18_personality_match": {1: (0, 1), 2: (0, 1)}}


def test_a_demographic_count_the_text_leaves_open_is_hatched_with_its_range(built):
    """Helper review finding: the demographic figures drew the reconstruction's even split as if
    counted. A count the publication fixes (Figuur 4: 26 Belgian) is drawn plainly; one it leaves
    open (Figuur 3: single with or without children) is described by the range it allows."""
    out, _, _ = built
    html = (out / "reports" / "genk-2015" / "nl" / "02_descriptives.html").read_text("utf-8")
    alts = {a.split(":")[0]: a for a in re.findall(r'<img [^>]*alt="([^"]*)"', html)}
    assert "niet vastgelegd door de tekst, die geen aantal buiten 0–25 toelaat" in alts["Figuur 3"]
    assert "weduwe of weduwnaar 3 (11 %)" in alts["Figuur 3"]  # "drie weduwes/weduwnaars" (line 1565)
    assert "niet vastgelegd" not in alts["Figuur 4"] and "26 (93 %)" in alts["Figuur 4"]


def test_every_table_and_figure_file_is_offered_by_exactly_one_page(built):
    """Issue 26 §4: each page links the files it wrote for download; every CSV and PNG of the
    report is offered by one page of each language, and every link resolves."""
    out, _, _ = built
    report = out / "reports" / "genk-2015"
    for folder in (report, report / "nl"):
        offered = []
        for page in sorted(folder.glob("0*.html")):
            html = page.read_text("utf-8")
            block = re.search(r'<section class="book-downloads">(.*?)</section>', html, re.S)
            assert block, page
            links = re.findall(r'href="([^"]+)" download', block.group(1))
            assert all((folder / href).is_file() for href in links), page
            offered += links
        files = sorted(f"tables/{p.name}" for p in (folder / "tables").glob("*.csv")) + \
            sorted(f"figures/{p.name}" for p in (folder / "figures").glob("*.png"))
        assert sorted(offered) == sorted(files), set(offered) ^ set(files)


MACHINE_WORDS = re.compile(r"(?<![\w-])(nan|NaN|None|inf|-inf)(?![\w-])")


def machine_words(page: str) -> list[str]:
    """What a reader would see of a missing or infinite number left unformatted ("nan", "None",
    "inf"), in a page's visible text (styles, scripts and tags stripped)."""
    import html as html_lib
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", text))
    return [text[max(0, m.start() - 60):m.end() + 20] for m in MACHINE_WORDS.finditer(text)]


def test_no_page_shows_a_number_left_unformatted(built):
    """A missing value is said in words and an infinite end as −∞: no "nan", "None" or "inf"."""
    _out, index, _lines = built
    for page in _pages(index.parent):
        assert not machine_words(page.read_text()), (page.name, machine_words(page.read_text())[:3])
    assert machine_words("<p>rank-biserial nan, p = nan</p>") and not machine_words("<p>−∞ to 0.97, finance</p>")


def test_titles_in_other_languages_keep_their_own_capitals():
    """APA's title case is for English titles: a French, German or Dutch journal keeps its own
    capitals ("Annales de l'Université de Lyon"), which the entry's language tells the style."""
    from analysis_utils.present.apparatus import references

    entries = dict(references("en"))
    assert "Annales de l'Université de Lyon" in entries["frechet1951"]
    assert "Schriften des Mathematischen Instituts" in entries["hoeffding1940"]


def test_a_line_in_a_thesis_chapter_is_never_read_as_one_of_the_report_s_chapters():
    """A Flemish lecturer's reading: "(hoofdstuk 4, regel 2300)" on the report's own chapter 4 read
    as that chapter; the thesis's chapters are named as the thesis's."""
    from analysis_utils.present.apparatus import link_text

    assert "(thesis, ch. 4, line 2300)" in link_text("as said (line 2300).", "04_limitations.html", "en")
    assert "(eindwerk, hfst. 4, regel 2300)" in link_text("zoals gezegd (regel 2300).", "04_limitations.html", "nl")
    assert "(§2.3.5, line 663)" in link_text("as said (line 663).", "04_limitations.html", "en")


def test_the_references_page_says_which_theory_entries_are_the_project_s():
    """The thesis knows Rogers and Kadushin second-hand (lines 583-587): the page says the
    original works listed are the project's additions, in either language."""
    from analysis_utils.present.apparatus import references_page

    assert "Kadushin's principles through InfoNu (2015)" in references_page("en")["note"]
    comparison = references_page("en", {"thesis2015", "holm1979"})  # a page that cites neither Rogers nor Kadushin
    assert "InfoNu" not in comparison["note"] and [k for k, _ in comparison["entries"]] == ["thesis2015", "holm1979"]
    assert "toevoegingen van het project" in references_page("nl")["note"]

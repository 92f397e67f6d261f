"""Issue 10 §1: the report is a book — one page shell for the index and every chapter, with
navigation, a table of contents, previous / next, and no request to any other host."""
import re
from html.parser import HTMLParser

import pytest


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external, self.ids, self.current, self.links, self.imgs = [], set(), [], [], []
        self.title, self._in_title = "", False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("src", "href"):
            value = a.get(key) or ""
            if re.match(r"(https?:)?//", value) and (tag in ("script", "img", "iframe", "link", "source", "embed")
                                                      or a.get("rel") == "stylesheet"):
                self.external.append((tag, value))
        if tag == "a" and a.get("aria-current") == "page":
            self.current.append(a.get("href"))
        if tag == "a":
            self.links.append((a.get("href"), a.get("rel")))
        if tag == "img":
            self.imgs.append(a)
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def _parse(path):
    page = _Page()
    text = path.read_text("utf-8")
    page.feed(text)
    return page, text


@pytest.fixture(scope="module")
def pages(built):
    _, index, _ = built
    return index.parent, sorted(index.parent.glob("*.html"))


def test_no_page_fetches_anything_from_another_host(pages):
    folder, paths = pages
    assert len(paths) == 6  # the index, four chapters, the references
    for path in paths:
        page, text = _parse(path)
        assert not page.external, (path.name, page.external)
        # nor from a stylesheet: every url() is a data: URI or local
        assert not re.findall(r"url\(\s*['\"]?(?:https?:)?//", text), path.name
        assert "require.js" not in text and "mathjax" not in text.lower().replace("mathjax-", ""), path.name


def test_every_page_has_the_shell_the_current_page_marked(pages):
    folder, paths = pages
    chapters = [p.name for p in paths if p.name != "index.html"]
    for path in paths:
        page, text = _parse(path)
        hrefs = [h for h, _ in page.links]
        assert "index.html" in hrefs and all(c in hrefs for c in chapters), path.name
        assert page.current == [path.name], path.name
        assert "reconstructed from the publication" in text  # the source in words, not its key
    for i, name in enumerate(chapters):
        page, _ = _parse(folder / name)
        rels = dict((rel, h) for h, rel in page.links if rel in ("prev", "next"))
        assert rels.get("prev") == (chapters[i - 1] if i else "index.html")
        assert rels.get("next") == (chapters[i + 1] if i + 1 < len(chapters) else None)


def test_chapter_title_toc_and_figure_alt(pages):
    folder, _ = pages
    page, text = _parse(folder / "03_interpretation.html")
    assert page.title.startswith("3. Interpretation") and "OCMW Genk" in page.title
    toc = re.findall(r'<nav[^>]*book-toc[^>]*>.*?</nav>', text, re.S)[0]
    anchors = re.findall(r'href="#([^"]+)"', toc)
    assert len(anchors) >= 5 and all(a in page.ids for a in anchors)  # every entry leads to its section
    assert all(img.get("alt") for img in page.imgs)
    assert "@media print" in text  # a print stylesheet: browser print gives a clean document


def test_index_has_no_literal_code_marks(pages):
    folder, _ = pages
    body = (folder / "index.html").read_text("utf-8").split("<body", 1)[1]
    assert "`" not in body


def test_thesis_figures_carry_their_caption_as_alt_text(pages):
    folder, _ = pages
    page, _ = _parse(folder / "02_descriptives.html")
    alts = [img.get("alt", "") for img in page.imgs]
    assert sum(a.startswith("Figuur ") for a in alts) >= 23
    assert any("Ik ben tevreden over mijn maatschappelijk assistente" in a for a in alts)


# --- issue 10 §6: the researcher in JupyterLab -------------------------------------------------------

def test_a_later_chapter_before_stage_01_says_what_to_run_and_makes_no_folder(tmp_path, monkeypatch):
    from analysis_utils.paths import OUTPUT_ENV, Stage01Missing, stage_paths

    monkeypatch.setenv(OUTPUT_ENV, str(tmp_path))
    paths = stage_paths("data/raw/genk-2015")
    with pytest.raises(Stage01Missing) as exc:
        paths.make(after_stage01=True)
    message = str(exc.value)
    assert "\n" not in message and "run chapter 01 first" in message and "01_cleaning.ipynb" in message
    assert exc.value._render_traceback_() == [f"Stage01Missing: {message}"]  # one line in JupyterLab
    assert list(tmp_path.iterdir()) == []  # nothing left behind


def test_interactive_runs_write_to_scratch_not_the_published_report(tmp_path, monkeypatch):
    from analysis_utils.paths import OUTPUT_ENV, SCRATCH, stage_paths

    monkeypatch.setenv(OUTPUT_ENV, str(tmp_path))
    paths = stage_paths("data/raw/genk-2015")
    assert paths.reports_dir == tmp_path / SCRATCH / "genk-2015"
    assert stage_paths("data/raw/genk-2015", reports_dir=tmp_path / "reports" / "x").reports_dir == tmp_path / "reports" / "x"


def test_published_folders_get_ordinary_permissions(built):
    import os
    import stat

    _, index, _ = built
    umask = os.umask(0)
    os.umask(umask)
    for folder in (index.parent, index.parent / "figures"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~umask, folder


# --- issue 10 §4: figures that mean what they show ----------------------------------------------------

def test_colour_follows_meaning_for_negatively_worded_items():
    """A reversed item's favourable answer ('zeker niet' to shame) gets the favourable colour."""
    import matplotlib
    matplotlib.use("Agg")
    import pandas as pd
    from matplotlib.colors import to_hex

    from analysis_utils.present import plots

    data = pd.DataFrame({"item": ["gratitude"] * 5 + ["shame"] * 5, "category_code": [1, 2, 3, 4, 5] * 2,
                         "count": [1, 1, 1, 1, 6, 6, 1, 1, 1, 1], "n": [10] * 10, "label": ["x"] * 10})
    ax = plots.diverging_bars(data, y="item", hue="category_code", marks=plots.Marks(turned=frozenset({"shame"})))
    bars = {(round(p.get_y() + p.get_height() / 2), round(p.get_x())): to_hex(p.get_facecolor())
            for p in ax.patches if p.get_width() > 0}
    order = [t.get_text() for t in ax.get_yticklabels()]
    shame, gratitude = order.index("shame"), order.index("gratitude")
    favourable = plots.DIVERGING[5]
    # shame's 'zeker niet' (code 1, leftmost) and gratitude's 'zeker wel' (code 5, rightmost) share a colour
    leftmost_shame = min((x for (row, x) in bars if row == shame))
    rightmost_grat = max((x for (row, x) in bars if row == gratitude))
    assert bars[(shame, leftmost_shame)] == bars[(gratitude, rightmost_grat)] == favourable
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "most favourable" and "shame 'x' is the favourable answer" in ax.get_xlabel().replace("\n", " ")


def test_dots_at_100_percent_are_not_cut_off():
    import matplotlib
    matplotlib.use("Agg")
    import pandas as pd

    from analysis_utils.present import plots

    ax = plots.interval_plot(pd.DataFrame({"y": ["a"], "x": [1.0], "lo": [0.8], "hi": [1.0]}), "y", "x", "lo", "hi")
    assert ax.get_xlim()[1] > 1.0 and ax.get_xlim()[0] < 0


# --- issue 10 §2: tables for people -------------------------------------------------------------------

def test_tables_for_people():
    import pandas as pd

    from analysis_utils.present.tables import for_people

    t = pd.DataFrame({"item": ["a", "b"], "n": [28.0, 26.0], "share": [0.786, 1.0], "ci_low": [0.6, 0.87],
                      "ci_high": [0.9, 1.0], "p_holm": [0.00001, 0.0312], "sharp": [True, False],
                      "difference": [-0.22, 0.05]})
    out = for_people(t, "item")
    assert out.index.name is None and list(out.index) == ["a", "b"]  # no index-name row
    assert out.loc["a", "share"] == "79 %" and out.loc["b", "95 % CI"] == "87–100 %"
    assert out.loc["a", "p (Holm)"] == "< 0.001" and out.loc["b", "p (Holm)"] == "0.031"
    assert out.loc["a", "proven"] == "yes" and out.loc["a", "n"] == "28"
    assert out.loc["a", "difference (points)"] == "-22"
    assert not any("_" in c for c in out.columns)
    diff = for_people(pd.DataFrame({"item": ["a"], "diff_ci_low": [-0.49], "diff_ci_high": [-0.04]}), "item")
    assert diff.iloc[0, 0] == "-49 to -4"  # a difference's interval in signed points, not "-49–-4 %"


def test_chapter_figures_carry_alt_text(pages):
    folder, _ = pages
    for name in ("03_interpretation.html", "04_limitations.html"):
        page, _ = _parse(folder / name)
        assert page.imgs and all(img.get("alt") and "No description" not in img["alt"] and "see the caption" not in img["alt"]
                                 for img in page.imgs), name


def test_the_reconstructed_round_keeps_the_sections_on_its_publication(built):
    """The sections a round without a publication leaves out (cells tagged publication-only and
    reconstructed-only) stay in the reconstructed 2015 round's pages, in both languages."""
    out, index, _lines = built
    for folder, words in ((index.parent, ("Reproduction: the thesis", "What the publication allows",
                                          "What the published figures fix")),
                          (index.parent / "nl", ("Reproductie: de figuren", "Wat de publicatie toelaat",
                                                 "Wat de gepubliceerde cijfers vastleggen"))):
        pages = [(folder / f"{stem}.html").read_text("utf-8") for stem in ("02_descriptives", "01_cleaning", "04_limitations")]
        assert all(word in page for word, page in zip(words, pages)), folder
    # the notes on a publication's ranges and on questionnaire v1's goals item: there in 2015's round
    descriptives = (index.parent / "02_descriptives.html").read_text("utf-8")
    assert "the publication fixes only the total of the two highest" in descriptives
    assert "questionnaire v1's negatively worded goals item" in descriptives
    interpretation = (index.parent / "03_interpretation.html").read_text("utf-8")  # v1 asks no team
    assert "Sub-groups: interview mode, gender and type of help" in interpretation and "and team" not in interpretation

"""Command line: ``python -m analysis_utils <verb>``.

Exit status: 0 success, 2 invalid input (the problems printed, one per line), 128 + the signal's
number when stopped by SIGINT (130), SIGTERM (143) or SIGHUP (129), 1 anything else.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import _, language, ngettext

if TYPE_CHECKING:
    from .intake import IntakeError

EXIT_OK, EXIT_ERROR, EXIT_INVALID, EXIT_INTERRUPTED = 0, 1, 2, 130


SCREENFUL = 25  # problems printed; the rest are counted


def _report_invalid(exc: IntakeError) -> int:
    """The problems, at most a screenful, in the language validation spoke."""
    n = len(exc.problems)
    with language(exc.lang):
        print(ngettext("invalid intake: {n} problem; nothing was written",
                       "invalid intake: {n} problems; nothing was written", n).format(n=n), file=sys.stderr)
        for p in exc.problems[:SCREENFUL]:
            print(p, file=sys.stderr)
        if n > SCREENFUL:
            print(_("… and {n} more (fix these first, then validate again)").format(n=n - SCREENFUL), file=sys.stderr)
    return EXIT_INVALID


def cmd_validate(args) -> int:
    from .chapters.validation import validate_intake
    from .intake.folder import messages_language

    with language(args.lang or messages_language(args.intake_dir)):
        intake = validate_intake(args.intake_dir)
        print(_("{folder}: valid — {n} respondents, questionnaire {version}, source {source}").format(
            folder=args.intake_dir, n=len(intake.responses), version=intake.codebook.version,
            source=intake.meta["source"]))
    return EXIT_OK


def _languages(text: str) -> list[str]:
    from .run.pipeline import languages

    try:
        return languages(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_catalog(args) -> int:
    """Extract the report's sentences (Babel, babel.cfg), merge them into the Dutch catalog and
    compile it; new or changed sentences are left for a translator (tests/test_i18n.py fails
    until every one has its Dutch)."""
    from .i18n import DOMAIN, LOCALE_DIR, compile_catalogs
    from .paths import project_root

    root = project_root()
    pot = LOCALE_DIR / f"{DOMAIN}.pot"
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run([*pybabel, "extract", "-F", str(root / "babel.cfg"), "-o", str(pot), "--no-location",
                    "--omit-header", "--sort-output", "--project", DOMAIN, "-k", "captioned:2", str(root)], check=True, cwd=root)
    subprocess.run([*pybabel, "update", "-i", str(pot), "-d", str(LOCALE_DIR), "-D", DOMAIN, "--width", "100",
                    "--ignore-obsolete"], check=True, cwd=root)
    for mo in compile_catalogs():
        print(f"compiled {mo.relative_to(root)}")
    return EXIT_OK


def cmd_run(args) -> int:
    """Run the report; its problems in the first language of ``--lang`` (Dutch only where only
    Dutch is asked), or, without ``--lang``, in the intake's (:func:`~.intake.folder.messages_language`)."""
    from .intake.folder import messages_language
    from .run.pipeline import run

    messages = ("nl" if args.lang == ["nl"] else "en") if args.lang else messages_language(args.intake_dir)
    index = run(args.intake_dir, lang=args.lang or "en", reports_root=args.reports_root,
                processed_root=args.processed_root, log=lambda line: print(line, flush=True),
                force=args.force, notebooks_dir=args.notebooks, messages=messages)
    print(f"report: {index}", flush=True)
    return EXIT_OK


def cmd_compare(args) -> int:
    from .run.comparison import compare

    index = compare(args.intake_dirs, lang=args.lang, reports_root=args.reports_root,
                    log=lambda line: print(line, flush=True))
    print(f"report: {index}", flush=True)
    return EXIT_OK


def cmd_reconstruct(args) -> int:
    from .chapters.validation import broken_facts
    from .makers.reconstruct import DEFAULT_INTAKE, write_reconstruction
    from .paths import project_root

    intake_dir = args.intake_dir or project_root() / DEFAULT_INTAKE
    out = write_reconstruction(broken_facts(intake_dir), intake_dir, seed=args.seed)
    print(f"wrote {out} (every fact of reported.yaml holds)")
    return EXIT_OK


def _checked(parser: str, *first):
    """An option's type: ``makers.form_model.<parser>(*first, text)``, its ValueError an argparse
    error (the message on one line, exit status 2, nothing written)."""
    def check(text: str):
        from .makers import form_model

        try:
            return getattr(form_model, parser)(*first, text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return check


_teams = _checked("parse_teams")  # --teams "Team Noord; Team Zuid": the teams


def _no_team_item(args) -> bool:
    """``--teams`` for a questionnaire that asks no team (v1): said on stderr."""
    from .codebook import load_codebook

    if args.teams and all(i.coded for i in load_codebook(args.version).items):
        print(f"error: argument --teams: questionnaire {args.version} does not ask the team (v2 does)", file=sys.stderr)
        return True
    return False


def cmd_template(args) -> int:
    from .makers.template import write_template

    if _no_team_item(args):
        return EXIT_INVALID
    out = write_template(args.out, args.version, args.teams)
    print(f"wrote the entry template {out} (questionnaire {args.version}); fill in the sheets "
          "'antwoorden' and 'bevraging', save it as data/raw/<intake-id>/responses.xlsx")
    return EXIT_OK


def cmd_questionnaire(args) -> int:
    from .makers.form_model import BLANKS
    from .makers.questionnaire import (
        write_questionnaire,  # the verb's modules (python-docx, pyxform) load when it runs
    )

    if _no_team_item(args):
        return EXIT_INVALID
    filled = {name: getattr(args, name) for name in BLANKS if getattr(args, name) is not None}
    for path in write_questionnaire(args.out, args.version, args.lang, args.teams, filled):
        print(f"wrote {path}")
    print("print the .html from a browser (A4, headers and footers off) or edit the .docx; the team's note is "
          "for the team, not for the client; the XLSForm goes to ODK Central or KoboToolbox")
    left = [name for name in BLANKS if name not in filled]
    if left:
        print(f"left to fill in by hand: {', '.join(left)} (a dotted line in the .html, highlighted in the .docx, "
              f"[brackets] in the XLSForm; or write them again with {', '.join(f'--{n}' for n in left)})")
    return EXIT_OK


def cmd_synthesize(args) -> int:
    from .makers.synthetic import write_example

    folder = write_example(args.folder)
    print(f"wrote the synthetic example intake to {folder}")
    return EXIT_OK


def cmd_lab(args) -> int:
    """JupyterLab on copies of the notebooks in scratch/lab/: notebooks/ (nbval's reference) out of its reach."""
    from .paths import project_root  # the verb's modules load when it runs
    from .run.lab import lab_command, prepare_lab  # (idem)

    root = project_root()
    copied, kept = prepare_lab(root, fresh=args.fresh)
    for path in copied:
        print(f"copied {path.relative_to(root)} (with the 2015 results in it)")
    for path in kept:
        print(f"kept {path.relative_to(root)}: your copy (make lab FRESH=1 starts again from notebooks/)")
    print("JupyterLab opens scratch/lab/; notebooks/ (the tests' reference) is out of its reach", flush=True)
    argv = lab_command(root, args.port, args.no_browser)
    os.execv(argv[0], argv)  # JupyterLab replaces this process: its signals and exit status are Lab's own
    return EXIT_ERROR  # not reached: execv does not return


def cmd_bench(args) -> int:
    from .run.bench import run_benchmark

    run_benchmark(repeat=args.repeat, big_n=args.respondents, log=lambda line: print(line, flush=True))
    return EXIT_OK


def cmd_notebooks(args) -> int:
    from .run.pipeline import refresh_notebooks

    for nb in refresh_notebooks():
        print(f"refreshed {nb}")
    return EXIT_OK


def cmd_serve(args) -> int:
    from .paths import project_root
    from .run.search import serve

    folder = args.folder or project_root() / "reports"
    if not folder.is_dir():
        print(f"error: {folder} is not a folder of reports (run make report first)", file=sys.stderr)
        return EXIT_ERROR
    for index in sorted(folder.glob("*/index.html"))[:5]:
        print(f"  http://127.0.0.1:{args.port}/{index.relative_to(folder).as_posix()}", flush=True)
    serve(folder, args.port, log=lambda line: print(line, flush=True))
    return EXIT_OK


TEAMS_HELP = ("v2: the round's teams or sites, separated by ';' as in the intake's teams, e.g. "
              "\"Team Noord; Team Zuid\": {what} (default: the team is typed)")


BLANK_OPTIONS = {"organisation": '"OCMW Genk, dienst schuldbemiddeling"', "period": '"maart–april 2027"',
                 "contact": '"Els Peeters, 089 65 00 00"', "minutes": "15 (a whole number)"}


def _maker_verbs(sub) -> None:
    """The verbs that make files from the codebook: the entry template, the questionnaire, the example."""
    p = sub.add_parser("template", help="write the Excel entry template (from the codebook)")
    p.add_argument("out", type=Path, help="e.g. data/raw/genk-2027/responses.xlsx")
    p.add_argument("--version", choices=("v1", "v2"), default="v2", help="questionnaire version (default v2)")
    p.add_argument("--teams", type=_teams, default=None, metavar='"TEAM; TEAM"', help=TEAMS_HELP.format(
        what="filled in on the sheet 'bevraging' and the team column's dropdown"))
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("questionnaire", help="write the questionnaire (print-ready HTML, .docx, the team's note, "
                       "an XLSForm for tablets) from the codebook")
    p.add_argument("out", type=Path, help="a folder, e.g. vragenlijst/")
    p.add_argument("--version", choices=("v1", "v2"), default="v2", help="questionnaire version (default v2)")
    p.add_argument("--lang", choices=("nl", "en"), default="nl",
                   help="nl (default: the respondents' language) or en (the codebook's English wording)")
    p.add_argument("--teams", type=_teams, default=None, metavar='"TEAM; TEAM"', help=TEAMS_HELP.format(
        what="a box per team on paper, a list on the tablet"))
    for name, example in BLANK_OPTIONS.items():
        p.add_argument(f"--{name}", type=_checked("parse_blank", name), default=None, metavar=name.upper(),
                       help=f"fills in the introduction's {name} in every file, e.g. {example} (default: a blank)")
    p.set_defaults(func=cmd_questionnaire)

    p = sub.add_parser("synthesize", help="write the synthetic example intake (questionnaire v2, 120 respondents)")
    p.add_argument("folder", type=Path, nargs="?", default=Path("data/raw/example-v2"))
    p.set_defaults(func=cmd_synthesize)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis_utils", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="verb", required=True)

    p = sub.add_parser("validate", help="check an intake folder against the codebook")
    p.add_argument("intake_dir", type=Path)
    p.add_argument("--lang", choices=("en", "nl"), default=None,
                   help="the messages' language (default: nl for an intake entered in the entry workbook, else en)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("run", help="validate an intake, run every stage, write the HTML report")
    p.add_argument("intake_dir", type=Path)
    p.add_argument("--lang", type=_languages, default=None, metavar="en|nl|en,nl",
                   help="the report's language: en (default), nl, or en,nl for both side by side (Dutch in nl/); "
                        "problems with the intake are told in Dutch if only nl is asked (without --lang: as validate)")
    p.add_argument("--reports-root", type=Path, default=None, help="default: reports/")
    p.add_argument("--processed-root", type=Path, default=None, help="default: data/processed/")
    p.add_argument("--force", action="store_true",
                   help="run every stage even if its inputs are unchanged since the last run")
    p.add_argument("--notebooks", type=Path, default=None,
                   help="a folder of stage notebooks to run instead of notebooks/ (the benchmark's floor)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("catalog", help="extract the report's sentences into the Dutch catalog and compile it")
    p.set_defaults(func=cmd_catalog)

    p = sub.add_parser("compare", help="compare intakes item by item (the first is the reference)")
    p.add_argument("intake_dirs", type=Path, nargs="+")
    p.add_argument("--lang", type=_languages, default="en", metavar="en|nl|en,nl",
                   help="the page's language: en (default), nl, or en,nl for both side by side (Dutch in nl/)")
    p.add_argument("--reports-root", type=Path, default=None, help="default: reports/")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("reconstruct", help="rebuild responses.csv of the 2015 intake from reported.yaml")
    p.add_argument("--intake-dir", type=Path, default=None, help="default: data/raw/genk-2015")
    p.add_argument("--seed", type=int, default=None, help="default: the seed in reconstruction.yaml")
    p.set_defaults(func=cmd_reconstruct)

    _maker_verbs(sub)

    p = sub.add_parser("bench", help="measure the pipeline: full run against its floor, unchanged "
                       "re-run, 10,000 respondents (a few minutes)")
    p.add_argument("--repeat", type=int, default=3, help="runs of each measurement (default 3; medians)")
    p.add_argument("--respondents", type=int, default=10_000, help="size of the large intake (default 10000)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("serve", help="serve the reports on this machine (127.0.0.1), so that their search works")
    p.add_argument("folder", type=Path, nargs="?", help="the folder to serve (default: reports/)")
    p.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("lab", help="JupyterLab on copies of the notebooks in scratch/lab/ (notebooks/ untouched)")
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--no-browser", action="store_true", help="on a server without a browser")
    p.add_argument("--fresh", action="store_true", help="copy the notebooks again over scratch/lab/")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("notebooks", help="re-execute the committed notebooks on the default intake")
    p.set_defaults(func=cmd_notebooks)
    return parser


def _stop_on_signals() -> None:
    """SIGTERM (a timeout, a service manager, a cancelled CI job) and SIGHUP (a closed terminal)
    stop a command as Ctrl-C does: cleanly, with exit status 128 + the signal's number."""
    from .run.publish import Interrupted

    def stop(signum, frame):
        raise Interrupted(False, signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


def main(argv: list[str] | None = None) -> int:
    from .intake import IntakeError

    args = build_parser().parse_args(argv)
    _stop_on_signals()
    try:
        return args.func(args)
    except IntakeError as exc:
        return _report_invalid(exc)
    except KeyboardInterrupt as exc:
        if getattr(exc, "published", False):
            print("interrupted while the new report was being published: it was published in full", file=sys.stderr)
        else:
            print("interrupted; nothing was published, earlier outputs are untouched", file=sys.stderr)
        return 128 + getattr(exc, "signum", EXIT_INTERRUPTED - 128)
    except Exception as exc:  # the last line of defence: one clear line, exit 1
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR

"""The ``cxresearch`` command.

Subcommands::

    cxresearch survey validate PATH...           check instruments (YAML or XLSForm) and journeys
    cxresearch survey export PATH --to FORMAT -o OUT [--lang nl|en]
    cxresearch survey import FORM -o instrument.yaml
    cxresearch survey items                       list the item bank
    cxresearch new STUDY                          scaffold a study folder
    cxresearch key new                            write a pseudonymisation key
    cxresearch run [STUDY]                        the main job on a study (default: the example)
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import __version__
from .errors import Code, CxResearchError, InstrumentError, Problem, Severity

if TYPE_CHECKING:
    from .instrument.model import Instrument

__all__ = ["main"]


def _print_problems(problems: Sequence[Problem]) -> None:
    for p in problems:
        print(str(p), file=sys.stderr)


_JOURNEY_NAMES = ("journey.yaml", "journey.yml")


def _instrument_files(paths: Sequence[str]) -> list[Path]:
    """The files to check: each path, or the instruments inside a folder."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir()
                            if p.suffix.lower() in (".yaml", ".yml", ".xlsx", ".xls"))
            if (path / "instruments").is_dir():
                inside += sorted(p for p in (path / "instruments").iterdir()
                                 if p.suffix.lower() in (".yaml", ".yml", ".xlsx", ".xls"))
            found += [p for p in inside if p.name not in ("study.yaml", "journey.yaml",
                                                          "roadmap.yaml", "codebook.yaml")]
        elif path.name not in _JOURNEY_NAMES:
            found.append(path)
    return found


def _same_place(p: Problem) -> tuple[object, ...]:
    """A problem's code, message and place, the file resolved (``a/../j.yaml`` = ``j.yaml``)."""
    return (p.code, p.message, Path(p.file).resolve() if p.file else None, p.line, p.column)


def _journey_files(paths: Sequence[str]) -> list[tuple[Path, bool]]:
    """The journeys to check, each with whether its study's instruments are all checked too:
    a journey file given, or the ``journey.yaml`` of a study folder (or above its
    ``instruments/``)."""
    found: dict[Path, bool] = {}
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            if path.name in _JOURNEY_NAMES:
                found.setdefault(path, False)
            continue
        for folder in (path, path.parent) if path.name == "instruments" else (path,):
            if (folder / "journey.yaml").is_file():
                found[folder / "journey.yaml"] = True
    return list(found.items())


def _validate_journey(path: Path, with_links: bool,
                      checked: Sequence[tuple[Path, Instrument | None]],
                      printed: set[tuple[object, ...]],
                      as_json: bool) -> tuple[bool, dict[str, object]]:
    """Check a journey file, and (for a study folder) its links with the instruments."""
    from .journey import check_links, load_journey, validate_journey

    problems = validate_journey(path)
    errors = [p for p in problems if p.severity == Severity.ERROR]
    journey = None if errors else load_journey(path)
    note = ""
    if journey is not None and with_links:
        mine = [(f, inst) for f, inst in checked
                if f.resolve().parent in (path.resolve().parent,
                                          path.resolve().parent / "instruments")]
        if any(inst is None for _, inst in mine):
            note = " (links to the instruments not checked: fix the instruments first)"
        else:
            insts = [inst for _, inst in mine if inst is not None
                     and inst.journey and inst.source and
                     (Path(inst.source).parent / inst.journey).resolve() == path.resolve()]
            problems += [p for p in check_links(journey, insts) if p.file == journey.source]
    warnings = [p for p in problems if p.severity == Severity.WARNING]
    entry: dict[str, object] = {"file": str(path), "ok": not errors, "kind": "journey",
                                "questions": None,
                                "touchpoints": len(journey.touchpoints()) if journey else None,
                                "problems": [p.as_dict() for p in problems]}
    if not as_json:
        _print_problems([p for p in problems if _same_place(p) not in printed])
        if journey is None:
            print(f"FAIL {path}: {len(errors)} error(s), {len(warnings)} warning(s)")
        else:
            print(f"ok   {path}: journey '{journey.id}', {len(journey.stages)} stages, "
                  f"{len(journey.touchpoints())} touchpoints, "
                  f"{len(journey.moments_of_truth())} moments of truth, languages "
                  f"{', '.join(journey.languages)}"
                  + (f", {len(warnings)} warning(s)" if warnings else "") + note)
    return not errors, entry


def _cmd_validate(args: argparse.Namespace) -> int:
    from .instrument import check_file

    failed = 0
    report: list[dict[str, object]] = []
    files = _instrument_files(args.paths)
    journeys = _journey_files(args.paths)
    if not files and not journeys:
        print("error: no instrument files (.yaml, .yml, .xlsx, .xls) found in "
              + ", ".join(args.paths), file=sys.stderr)
        return 1
    checked: list[tuple[Path, Instrument | None]] = []
    printed: set[tuple[object, ...]] = set()
    for path in files:
        inst, problems = check_file(path)
        checked.append((path, inst))
        printed.update(map(_same_place, problems))
        errors = [p for p in problems if p.severity == Severity.ERROR]
        warnings = [p for p in problems if p.severity == Severity.WARNING]
        if args.json:
            report.append({"file": str(path), "ok": not errors,
                           "questions": len(list(inst.questions())) if inst else None,
                           "problems": [p.as_dict() for p in problems]})
        else:
            _print_problems(problems)
            if errors or inst is None:
                print(f"FAIL {path}: {len(errors)} error(s), {len(warnings)} warning(s)")
            else:
                n = len(list(inst.questions()))
                print(f"ok   {path}: {inst.kind.replace('_', ' ')} '{inst.id}' v{inst.version}, "
                      f"{n} questions, {len(inst.field_ids())} answer fields, languages "
                      f"{', '.join(inst.languages)}" + (f", {len(warnings)} warning(s)"
                                                        if warnings else ""))
        failed += bool(errors) or inst is None
    for path, with_links in journeys:
        ok, entry = _validate_journey(path, with_links, checked, printed, args.json)
        report.append(entry)
        failed += not ok
    for raw in args.paths:  # a study folder's interviews: codebook and coder files
        folder = Path(raw)
        if folder.is_dir() and (folder / "codebook.yaml").is_file():
            ok, entry = _validate_interviews(folder, args.json)
            report.append(entry)
            failed += not ok
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    return 1 if failed else 0


def _validate_interviews(folder: Path, as_json: bool) -> tuple[bool, dict[str, object]]:
    """Read the study's transcripts, codebook and coder files together (every coder file
    checked against its transcript version)."""
    from .qual.exchange import read_study_qual
    from .qual.model import QualError

    where = folder / "codebook.yaml"
    try:
        transcripts, codebook, codings = read_study_qual(folder)
    except QualError as exc:
        if not as_json:
            print(f"error: {exc}")
            print(f"FAIL {where}: the interviews cannot be read together")
        return False, {"file": str(where), "ok": False, "kind": "interviews",
                       "problems": [{"message": str(exc)}]}
    coders = sorted({c.coder for c in codings})
    if not as_json:
        print(f"ok   {where}: {len(codebook)} codes; {len(transcripts)} transcripts; "
              f"{len(coders)} coder file(s) ({', '.join(coders) or 'none'})")
    return True, {"file": str(where), "ok": True, "kind": "interviews", "problems": []}


def _refuse_own_source(source: Path, out: Path) -> None:
    if out.exists() and out.resolve() == source.resolve():
        raise InstrumentError.single(
            Code.INVALID_VALUE, "the output would overwrite its own source file",
            file=str(source), fix="choose another output file with -o")


def _cmd_export(args: argparse.Namespace) -> int:
    from .instrument import EXPORT_FORMATS, export_instrument, load_instrument

    if args.lang and args.to in ("limesurvey", "yaml"):
        raise CxResearchError(f"--lang does not apply to --to {args.to}, which carries every "
                              "language; leave it out")
    inst = load_instrument(args.path)
    suffix = EXPORT_FORMATS[args.to] if args.to != "yaml" else ".export.yaml"
    name = f"{inst.id}.{args.lang}{suffix}" if args.lang and args.to in ("html", "markdown") \
        else f"{inst.id}{suffix}"
    raw = args.output
    if raw is None:
        out = Path.cwd() / name  # never beside the source: that is where instruments live
    elif raw.endswith(("/", "\\")) or Path(raw).is_dir():
        Path(raw).mkdir(parents=True, exist_ok=True)
        out = Path(raw) / name
    else:
        out = Path(raw)
    _refuse_own_source(Path(args.path), out)
    written = export_instrument(inst, args.to, out, lang=args.lang,
                                check=args.to == "xlsform" and args.check,
                                odk_validate=args.to == "xlsform" and args.odk_validate)
    print(f"wrote {written}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from .instrument import load_instrument, save_instrument

    out = Path(args.output)
    _refuse_own_source(Path(args.form), out)
    if out.exists() and not args.force:
        raise InstrumentError.single(
            Code.INVALID_VALUE, f"'{out}' exists already", file=str(out),
            fix="choose another file, or add --force to replace it")
    inst = load_instrument(args.form)
    save_instrument(inst, out)
    print(f"wrote {out}: {len(list(inst.questions()))} questions, languages "
          f"{', '.join(inst.languages)}")
    return 0


def _cmd_items(args: argparse.Namespace) -> int:
    from .instrument import itembank

    lang = args.lang
    for item in itembank.items().values():
        label = item.question.get("label", {}).get(lang, "")
        print(f"{item.name:24} {item.metric:24} {item.title.get(lang, '')}")
        if args.verbose:
            print(f"    {label}")
            print(f"    {item.definition.get(lang, '')}")
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    from .study.scaffold import new_study

    folder = new_study(args.study, language=args.lang, force=args.force)
    print(f"created study folder {folder}")
    print(f"next: edit {folder / 'journey.yaml'} and the files in {folder / 'instruments'}, "
          f"then run: cxresearch survey validate {shlex.quote(str(folder))}")
    return 0


def _cmd_key_new(args: argparse.Namespace) -> int:
    from .data.privacy import new_key

    path = new_key(args.path, force=args.force)
    print(f"wrote a new pseudonymisation key to {path} (readable by you only); keep it out "
          "of study folders and version control, and back it up: without it, pseudonyms "
          "of later waves will not match earlier ones")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from .study.runner import run_study

    result = run_study(args.study, reports=args.reports, lang=args.lang, wave=args.wave,
                       run_id=args.run_id, pdf=not args.no_pdf)
    print(result.summary())
    return 0 if result.ok else 1


def _cmd_plan_lock(args: argparse.Namespace) -> int:
    from .study.plan import lock_plan

    path = lock_plan(args.study, force=args.force)
    print(f"locked the plan: {path}")
    return 0


def _cmd_plan_check(args: argparse.Namespace) -> int:
    from .study.plan import load_plan, plan_status

    plan = load_plan(args.study)
    status = plan_status(args.study)
    print(f"plan '{plan.id}': {len(plan.hypotheses)} hypotheses, "
          f"{len(plan.notebooks)} notebooks, waves {', '.join(plan.design.waves) or '-'}")
    print(f"locked: {status.locked_at}" if status.locked else "not locked")
    for d in status.deviations:
        print(f"deviation ({d.kind}): {d.message.get(args.lang, '')}")
    return 0


def _cmd_qual_export(args: argparse.Namespace) -> int:
    from .qual.exchange import export_study

    path = export_study(args.study, args.to, args.output, lang=args.lang)
    print(f"wrote {path}")
    return 0


def _cmd_qual_import(args: argparse.Namespace) -> int:
    from .qual.exchange import import_into_study

    print(import_into_study(args.file, args.study, lang=args.lang).summary())
    return 0


def _parameter(text: str) -> tuple[str, object]:
    """``KEY=VALUE`` with VALUE a Python literal (``False``, ``3``, ``'x'``) or plain text."""
    import ast

    key, sep, value = text.partition("=")
    if not sep or not key.strip().isidentifier():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE (e.g. scripted=False); got "
                                         f"{text!r}")
    try:
        return key.strip(), ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return key.strip(), value


def _cmd_present(args: argparse.Namespace) -> int:
    from .widgets.present import present

    return present(args.notebook, lang=args.lang, parameters=dict(args.param or []),
                   port=args.port, open_browser=not args.no_browser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cxresearch",
        description="Customer- and employee-journey research: instruments as code, "
                    "exports for fielding, reproducible studies.")
    parser.add_argument("--version", action="version", version=f"cxresearch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    survey = sub.add_parser("survey", help="validate, export and import instruments",
                            description="Work with survey instruments and interview guides.")
    ssub = survey.add_subparsers(dest="survey_command", metavar="ACTION")
    ssub.required = True

    p = ssub.add_parser("validate", help="check instruments and list every problem",
                        description="Check YAML instruments or XLSForms; list every problem "
                        "with file, line, question id and how to fix it. For a study folder, "
                        "also check its journey.yaml and the links between the journey and "
                        "the instruments. Exit status 1 when any file has errors.")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="instrument files (.yaml, .xlsx, .xls), journey.yaml, or folders "
                   "holding them")
    p.add_argument("--json", action="store_true", help="print the problems as JSON")
    p.set_defaults(func=_cmd_validate)

    p = ssub.add_parser("export", help="export an instrument for fielding or review",
                        description="Export to XLSForm (ODK, KoboToolbox), LimeSurvey's "
                        "tab-separated structure, a printable HTML questionnaire, Markdown "
                        "(interview guides) or YAML.")
    p.add_argument("path", metavar="PATH", help="instrument file (.yaml, .xlsx, .xls)")
    p.add_argument("--to", required=True,
                   choices=["xlsform", "limesurvey", "html", "markdown", "yaml"],
                   help="the export format")
    p.add_argument("--lang", choices=None, default=None, metavar="LANG",
                   help="language of HTML and Markdown (default: the instrument's default); "
                   "for XLSForm: export only this language")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="output file, or a folder (ending in /); default: <id>.<suffix> in the "
                   "current folder")
    p.add_argument("--no-check", dest="check", action="store_false",
                   help="skip converting the XLSForm with pyxform after writing it")
    p.add_argument("--odk-validate", action="store_true",
                   help="also run ODK Validate on the XLSForm (needs Java)")
    p.set_defaults(func=_cmd_export)

    p = ssub.add_parser("import", help="convert an XLSForm into a YAML instrument",
                        description="Read an existing XLSForm (e.g. from KoboToolbox) and "
                        "write it as a cxresearch YAML instrument. Unsupported features are "
                        "listed with sheet, row and column.")
    p.add_argument("form", metavar="FORM", help="XLSForm (.xlsx or .xls)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="YAML file to write")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.set_defaults(func=_cmd_import)

    p = ssub.add_parser("items", help="list the item bank (NPS, CSAT, CES, ...)",
                        description="List the standard items, the metric each feeds and "
                        "how that metric is computed.")
    p.add_argument("--lang", default="en", choices=["nl", "en"], help="language (default en)")
    p.add_argument("-v", "--verbose", action="store_true", help="show wording and definition")
    p.set_defaults(func=_cmd_items)

    p = sub.add_parser("new", help="scaffold a new study folder",
                       description="Create a study folder (study.yaml, journey.yaml, "
                       "instruments/, data/raw/, data/clean/, transcripts/, roadmap.yaml) "
                       "with starter files that validate.")
    p.add_argument("study", metavar="STUDY", help="folder to create, e.g. surveys/my-study")
    p.add_argument("--lang", default="nl", choices=["nl", "en"],
                   help="default language of the starter instruments (both are written)")
    p.add_argument("--force", action="store_true", help="write into an existing empty folder")
    p.set_defaults(func=_cmd_new)

    key = sub.add_parser("key", help="manage the pseudonymisation key",
                         description="The key that turns respondent ids into pseudonyms. It "
                         "lives outside study folders (default ~/.config/cxresearch/).")
    ksub = key.add_subparsers(dest="key_command", metavar="ACTION")
    ksub.required = True
    p = ksub.add_parser("new", help="write a new random key",
                        description="Write 32 random bytes as a new key, readable by you only.")
    p.add_argument("--path", default=None, metavar="FILE",
                   help="where to write it (default: ~/.config/cxresearch/pseudonymisation.key)")
    p.add_argument("--force", action="store_true", help="replace an existing key")
    p.set_defaults(func=_cmd_key_new)

    p = sub.add_parser("run", help="run a study: its notebooks, reports and run record",
                       description="Check the plan, export every instrument, execute the "
                       "study's notebooks (study.yaml 'notebooks:') with papermill, and "
                       "write reports/<study>/<run>/: the executed notebooks, a client "
                       "report (HTML and PDF, no code), a researcher report (with code), "
                       "findings.jsonl and run.json. A failed notebook stops the run.")
    p.add_argument("study", nargs="?", default=None, metavar="STUDY",
                   help="study folder (default: the bundled example surveys/insurer-claims)")
    p.add_argument("--reports", default="reports", metavar="DIR",
                   help="where reports go (default: ./reports)")
    p.add_argument("--lang", default="en", choices=["nl", "en"],
                   help="language of the notebooks and reports (default en)")
    p.add_argument("--wave", default=None, metavar="N",
                   help="passed to every notebook as the parameter wave")
    p.add_argument("--run-id", default=None, metavar="ID",
                   help="name of the run folder (default: the UTC start time and language)")
    p.add_argument("--no-pdf", action="store_true",
                   help="do not print the client report to PDF")
    p.set_defaults(func=_cmd_run)

    plan = sub.add_parser("plan", help="fix the study plan before data arrive",
                          description="The study plan (study.yaml): lock it before data "
                          "arrive; later runs list every deviation from the locked plan.")
    psub = plan.add_subparsers(dest="plan_command", metavar="ACTION")
    psub.required = True
    p = psub.add_parser("lock", help="freeze the plan (hash and time in study.lock.json)")
    p.add_argument("study", metavar="STUDY", help="the study folder")
    p.add_argument("--force", action="store_true",
                   help="lock again (the earlier lock is kept in the lock's history)")
    p.set_defaults(func=_cmd_plan_lock)
    p = psub.add_parser("check", help="read the plan and list deviations from the lock")
    p.add_argument("study", metavar="STUDY", help="the study folder")
    p.add_argument("--lang", default="en", choices=["nl", "en"], help="language (default en)")
    p.set_defaults(func=_cmd_plan_check)

    qual = sub.add_parser("qual", help="exchange interviews with QDA tools (REFI-QDA)",
                          description="Move a study's transcripts, codebook and coding to "
                          "and from NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA .qdpx "
                          "projects and .qdc codebooks).")
    qsub = qual.add_subparsers(dest="qual_command", metavar="ACTION")
    qsub.required = True
    p = qsub.add_parser("export", help="write the study's interviews as .qdpx or its "
                        "codebook as .qdc",
                        description="Read transcripts/, codebook.yaml and coding/*.yaml "
                        "(each coder file checked against its transcript's version) and "
                        "write a REFI-QDA project or codebook.")
    p.add_argument("study", metavar="STUDY", help="the study folder")
    p.add_argument("--to", required=True, choices=["qdpx", "qdc"], help="the format")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the file to write (.qdpx or .qdc)")
    p.add_argument("--lang", default="en", choices=["nl", "en"],
                   help="language of the code names in the file (default en)")
    p.set_defaults(func=_cmd_qual_export)
    p = qsub.add_parser("import", help="read a .qdpx or .qdc into a study folder",
                        description="Write the transcripts, case attributes, codebook and "
                        "each coder's codings of a REFI-QDA file into STUDY; files that "
                        "exist are never overwritten; what could not be carried over is "
                        "listed.")
    p.add_argument("file", metavar="FILE", help="a .qdpx project or .qdc codebook")
    p.add_argument("study", metavar="STUDY", help="the study folder to write into")
    p.add_argument("--lang", default="en", choices=["nl", "en"],
                   help="language of code names that the file does not say (default en)")
    p.set_defaults(func=_cmd_qual_import)

    p = sub.add_parser("present", help="serve a notebook as an app without code (Voila)",
                       description="Serve a notebook as a Voila app: outputs and widgets, no "
                       "code, for working with a client. Ctrl+C stops it.")
    p.add_argument("notebook", metavar="NOTEBOOK", help="the notebook (.ipynb)")
    p.add_argument("--lang", choices=["nl", "en"], default=None,
                   help="set lang in the notebook's parameters cell")
    p.add_argument("-p", "--param", action="append", type=_parameter, metavar="KEY=VALUE",
                   help="set another parameter of the notebook, e.g. -p scripted=False "
                   "(repeatable)")
    p.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(func=_cmd_present)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except InstrumentError as exc:
        _print_problems(exc.problems)
        errors = sum(p.severity == Severity.ERROR for p in exc.problems)
        print(f"error: {errors} problem(s); nothing was written", file=sys.stderr)
        return 1
    except CxResearchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f" '{exc.filename}'" if exc.filename else ""
        print(f"error: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The cxresearch command, run as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from conftest import EXAMPLE, ROOT, bundled_instruments

from cxresearch.cli import main

SUBCOMMANDS = [[], ["survey"], ["survey", "validate"], ["survey", "export"],
               ["survey", "import"], ["survey", "items"], ["new"], ["run"]]


@pytest.mark.parametrize("words", SUBCOMMANDS, ids=lambda w: " ".join(w) or "top")
def test_every_subcommand_has_help(words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*words, "--help"])
    assert exc.value.code == 0
    assert "usage: cxresearch" in capsys.readouterr().out


def test_entry_point_is_installed() -> None:
    exe = Path(sys.executable).parent / "cxresearch"
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("cxresearch ")


def test_validate_bundled(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["survey", "validate", *map(str, bundled_instruments())]) == 0
    out = capsys.readouterr().out
    assert out.count("ok ") == len(bundled_instruments())


def test_validate_reports_problems_with_exit_status(write_yaml: Callable[..., Path],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    bad = write_yaml("blocks:\n  - id: b\n    title: {nl: B, en: B}\n    questions:\n"
                     "      - id: q\n        type: text\n        label: {nl: A}\n")
    assert main(["survey", "validate", str(bad)]) == 1
    captured = capsys.readouterr()
    assert "CX130" in captured.err and f"{bad}:14" in captured.err
    assert "FAIL" in captured.out


def test_export_every_format(tmp_path: Path) -> None:
    import dataclasses

    import openpyxl

    import cxresearch as cx

    src = EXAMPLE / "instruments" / "customer-survey.yaml"
    survey = cx.load_instrument(src)
    for fmt, name, lang in [("xlsform", "c.xlsx", None), ("limesurvey", "c.txt", None),
                            ("html", "c.html", "nl"), ("markdown", "c.md", "en"),
                            ("yaml", "c.yaml", None)]:
        words = ["survey", "export", str(src), "--to", fmt, "-o", str(tmp_path / name)]
        assert main(words + (["--lang", lang] if lang else [])) == 0
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx")["survey"]
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} >= set(
        survey.field_ids())
    header = (tmp_path / "c.txt").read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header[:4] == ["id", "related_id", "class", "type/scale"]
    html = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert 'lang="nl"' in html and survey.title["nl"] in html
    assert survey.title["en"] in (tmp_path / "c.md").read_text(encoding="utf-8")
    again = cx.load_instrument(tmp_path / "c.yaml")
    assert again.journey is not None and again.journey.endswith("surveys/insurer-claims/journey.yaml")
    assert dataclasses.replace(again, journey=survey.journey) == survey


def test_export_defaults_to_the_current_folder(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    src = EXAMPLE / "instruments" / "customer-survey.yaml"
    assert main(["survey", "export", str(src), "--to", "html", "--lang", "en"]) == 0
    assert (tmp_path / "insurer-claims-customer.en.html").exists()
    assert main(["survey", "export", str(src), "--to", "xlsform", "-o", "out/"]) == 0
    assert (tmp_path / "out" / "insurer-claims-customer.xlsx").is_file()


def test_lang_with_an_all_language_format_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    src = EXAMPLE / "instruments" / "customer-survey.yaml"
    assert main(["survey", "export", str(src), "--to", "limesurvey", "--lang", "nl"]) == 1
    assert "--lang does not apply" in capsys.readouterr().err


def test_exports_never_overwrite_their_source(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "journey.yaml").write_bytes((EXAMPLE / "journey.yaml").read_bytes())
    (tmp_path / "instruments").mkdir()
    own = tmp_path / "instruments" / "own.yaml"
    own.write_bytes((EXAMPLE / "instruments" / "customer-survey.yaml").read_bytes())
    before = own.read_bytes()
    assert main(["survey", "export", str(own), "--to", "yaml", "-o", str(own)]) == 1
    assert "overwrite its own source" in capsys.readouterr().err
    form = tmp_path / "form.xlsx"
    assert main(["survey", "export", str(own), "--to", "xlsform", "-o", str(form)]) == 0
    form_bytes = form.read_bytes()
    assert main(["survey", "import", str(form), "-o", str(form), "--force"]) == 1
    assert own.read_bytes() == before and form.read_bytes() == form_bytes


def test_unwritable_output_is_a_clear_error(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    src = EXAMPLE / "instruments" / "customer-survey.yaml"
    assert main(["survey", "export", str(src), "--to", "html", "--lang", "nl",
                 "-o", str(blocker / "sub.html")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot use") and "Traceback" not in err


def test_written_files_get_normal_permissions(tmp_path: Path) -> None:
    import os

    src = EXAMPLE / "instruments" / "customer-survey.yaml"
    out = tmp_path / "c.html"
    assert main(["survey", "export", str(src), "--to", "html", "-o", str(out)]) == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_validate_a_study_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["survey", "validate", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.count("ok ") == len(bundled_instruments()) + 2  # and the journey, interviews
    assert "codebook.yaml: 27 codes; 6 transcripts; 2 coder file(s)" in out
    assert "journey 'insurer-claims', 5 stages, 11 touchpoints, 3 moments of truth" in out


def test_export_unknown_language_fails_cleanly(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    src = EXAMPLE / "instruments" / "customer-survey.yaml"
    assert main(["survey", "export", str(src), "--to", "html", "--lang", "fr",
                 "-o", str(tmp_path / "x.html")]) == 1
    assert "allowed: nl, en" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_import_xlsform_round_trip(tmp_path: Path) -> None:
    src = EXAMPLE / "instruments" / "customer-survey.yaml"
    form = tmp_path / "form.xlsx"
    assert main(["survey", "export", str(src), "--to", "xlsform", "-o", str(form)]) == 0
    out = tmp_path / "back.yaml"
    assert main(["survey", "import", str(form), "-o", str(out)]) == 0
    assert main(["survey", "validate", str(out)]) == 0
    assert main(["survey", "import", str(form), "-o", str(out)]) == 1  # no overwrite


def test_new_study_validates_and_runs(tmp_path: Path) -> None:
    study = tmp_path / "webshop-delivery"
    assert main(["new", str(study)]) == 0
    for rel in ("study.yaml", "journey.yaml", "roadmap.yaml", "data/raw/README.md",
                "data/clean", "transcripts", "instruments/customer-survey.yaml"):
        assert (study / rel).exists(), rel
    assert main(["survey", "validate", *map(str, (study / "instruments").glob("*.yaml"))]) == 0
    assert main(["new", str(study)]) == 1  # refuses to overwrite
    assert main(["run", str(study), "--reports", str(tmp_path / "reports"), "--no-pdf"]) == 0


def test_run_writes_report_and_record(insurer_run: object) -> None:
    # the shared full run of the example study (conftest.insurer_run): what `make demo` does
    out = insurer_run.output  # type: ignore[attr-defined]
    assert "client report:" in insurer_run.summary()  # type: ignore[attr-defined]
    record = (out / "run.json").read_text(encoding="utf-8")
    assert '"sha256"' in record and '"pyxform"' in record
    assert len(list(out.glob("instruments/*/*.xlsx"))) == len(bundled_instruments())
    assert len(list(out.glob("instruments/*/*.nl.html"))) == len(bundled_instruments())


def test_raw_files_are_untouched_by_run(insurer_run: object) -> None:
    import hashlib
    import json

    study = insurer_run.study  # type: ignore[attr-defined]
    record = json.loads((insurer_run.output / "run.json").read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    raw = [i for i in record["inputs"] if i["file"].startswith("data/raw/")]
    assert raw
    for item in raw:  # the same bytes after the run as when it started
        assert hashlib.sha256((study / item["file"]).read_bytes()).hexdigest() == item["sha256"]
    assert not (study / "reports").exists()


def test_run_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import copy_study

    study = copy_study("insurer-claims", tmp_path)
    assert main(["plan", "check", str(study)]) == 0  # the example ships locked
    assert "locked: 20" in capsys.readouterr().out
    (study / "study.lock.json").unlink()
    assert main(["plan", "check", str(study)]) == 0
    assert "not locked" in capsys.readouterr().out
    assert main(["plan", "lock", str(study)]) == 0
    assert (study / "study.lock.json").exists()
    assert main(["plan", "lock", str(study)]) == 1  # a lock is not replaced silently
    assert main(["run", str(tmp_path / "nowhere")]) == 1
    assert "has no study.yaml" in capsys.readouterr().err


def test_validate_and_export_take_xlsforms(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import REAL_FORMS

    assert main(["survey", "validate", str(REAL_FORMS / "group.xlsx")]) == 0
    assert main(["survey", "validate", str(REAL_FORMS / "tutorial.xls")]) == 1
    err = capsys.readouterr().err
    assert "tutorial.xls, sheet 'survey', row 2" in err and "begin repeat" in err
    out = tmp_path / "specify.html"
    assert main(["survey", "export", str(REAL_FORMS / "specify_other.xlsx"), "--to", "html",
                 "-o", str(out)]) == 0
    assert "Other, namely" in out.read_text(encoding="utf-8")

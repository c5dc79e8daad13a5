"""`cxresearch present`: a notebook as a Voila app without code (cxresearch.widgets.present)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from cxresearch.cli import main
from cxresearch.widgets.present import PresentError, parameterised_copy, present_command

ROOT = Path(__file__).resolve().parents[1]


def test_parameterised_copy_sets_lang_after_the_parameters_cell(tmp_path: Path) -> None:
    source = tmp_path / "03.ipynb"
    shutil.copy(ROOT / "notebooks" / "03_journey_map.ipynb", source)
    copy = parameterised_copy(source, {"lang": "nl"})
    try:
        assert copy.parent == source.parent and copy.name.endswith(".present.ipynb")
        cells = nbformat.read(copy, as_version=4).cells
        tags = [c.metadata.get("tags", []) for c in cells]
        at = tags.index(["parameters"])
        assert tags[at + 1] == ["injected-parameters"]
        assert 'lang = "nl"' in cells[at + 1].source
        assert nbformat.read(source, as_version=4).cells == nbformat.read(
            ROOT / "notebooks" / "03_journey_map.ipynb", as_version=4).cells
    finally:
        copy.unlink()


def test_present_command_hides_code() -> None:
    args = present_command("x.ipynb", port=9001, open_browser=False, voila="voila")
    assert args == ["voila", "x.ipynb", "--port=9001", "--strip_sources=True",
                    "--VoilaConfiguration.show_tracebacks=False", "--no-browser"]


def test_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["present", str(tmp_path / "missing.ipynb"), "--no-browser"]) == 1
    assert "no such notebook" in capsys.readouterr().err
    text = tmp_path / "notes.txt"
    text.write_text("x", encoding="utf-8")
    assert main(["present", str(text), "--no-browser"]) == 1
    assert "not a notebook" in capsys.readouterr().err
    plain = tmp_path / "plain.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("lang = 'en'")]
    nbformat.write(nb, plain)
    with pytest.raises(PresentError, match="no cell is tagged 'parameters'"):
        parameterised_copy(plain, {"lang": "nl"})
    assert main(["present", str(plain), "--lang", "nl", "--no-browser"]) == 1
    assert "no cell is tagged 'parameters'" in capsys.readouterr().err
    assert list(tmp_path.glob("*.present.ipynb")) == []


def test_parameters_from_the_command_line() -> None:
    from cxresearch.cli import _parameter, build_parser

    assert _parameter("scripted=False") == ("scripted", False)
    assert _parameter("study=../surveys/x") == ("study", "../surveys/x")
    args = build_parser().parse_args(["present", "x.ipynb", "-p", "n_boot=200",
                                      "-p", "lang=nl"])
    assert dict(args.param) == {"n_boot": 200, "lang": "nl"}
    with pytest.raises(SystemExit):
        build_parser().parse_args(["present", "x.ipynb", "-p", "no equals sign"])

"""The notebooks also run in Dutch: papermill sets ``lang = "nl"`` in the parameters
cell and runs every cell, including the checks against the simulated truth. (nbval runs
them in English, with their default parameters.)"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# the templates, named NN_topic.ipynb (not the parameterised copies `cxresearch present`
# leaves beside them while it serves one: NN_topic.<digest>.present.ipynb)
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
                   if ".present." not in p.name)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_dutch(name: str, tmp_path: Path) -> None:
    papermill = pytest.importorskip("papermill")
    out = tmp_path / name
    papermill.execute_notebook(str(ROOT / "notebooks" / name), str(out),
                               parameters={"lang": "nl"}, cwd=str(ROOT / "notebooks"),
                               progress_bar=False, kernel_name="python3")
    text = out.read_text(encoding="utf-8")
    assert '"output_type": "error"' not in text
    assert "injected-parameters" in text and 'lang = \\"nl\\"' in text

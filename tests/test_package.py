"""The package: light import, optional extras that say what to install, typed API."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import cxresearch
from cxresearch._optional import import_optional
from cxresearch.errors import MissingExtraError


def test_import_does_not_pull_in_heavy_libraries() -> None:
    code = ("import sys, json, cxresearch, cxresearch.instrument, cxresearch.journey, "
            "cxresearch.cli; print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    loaded = set(json.loads(out.stdout))
    for heavy in ("seaborn", "matplotlib", "ipywidgets", "statsmodels", "pyxform",
                  "openpyxl", "pandas", "scipy"):
        assert heavy not in loaded, f"import cxresearch imported {heavy}"


def test_missing_extra_names_the_extra() -> None:
    with pytest.raises(MissingExtraError, match=r'pip install "cxresearch\[plot\]"'):
        import_optional("a_module_that_does_not_exist", "plot", "Drawing journey maps")


def test_public_names_are_exported() -> None:
    for name in cxresearch.__all__:
        assert hasattr(cxresearch, name), name
    assert (cxresearch.__file__ or "").endswith("__init__.py")


def test_stats_and_viz_import_their_libraries_only_when_used() -> None:
    code = ("import sys, json, cxresearch.stats, cxresearch.viz, cxresearch.data; "
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    loaded = set(json.loads(out.stdout))
    for heavy in ("statsmodels", "scipy", "matplotlib", "seaborn"):
        assert heavy not in loaded, f"import cxresearch.stats imported {heavy}"
    import cxresearch.stats as stats

    for name in stats.__all__:  # every public name resolves
        assert getattr(stats, name) is not None, name

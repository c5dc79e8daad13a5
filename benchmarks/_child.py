"""Run one measurement in a fresh Python process, so its peak memory is its own and an
out-of-memory crash ends only that measurement."""

from __future__ import annotations

import json
import subprocess
import sys


def run_child(script: str, *args: object) -> dict[str, object]:
    """Run ``python script --child *args``; return the last JSON line it printed, or a
    ``status`` saying why there is none ("out of memory" or "failed: ...")."""
    proc = subprocess.run([sys.executable, script, "--child", *map(str, args)],
                          capture_output=True, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        oom = "MemoryError" in proc.stderr or proc.returncode in (-9, 137)
        return {"status": "out of memory" if oom else f"failed: {tail[:60]}"}
    result: dict[str, object] = json.loads(lines[-1])
    return result

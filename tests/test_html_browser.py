"""The seeds' HTML report in headless Chromium: a screenshot under test-artifacts/ to look at, and
the DOM as the browser built it (direction, highlights, finding ↔ span links)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"


def chromium() -> str:
    exe = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.skip("chromium is not installed (RIWAYA_BROWSER=1 bash scripts/setup.sh)")
    direct = Path("/usr/lib/chromium/chromium")
    return str(direct) if direct.exists() and exe == "/usr/bin/chromium" else exe


def run_chromium(*args: str) -> subprocess.CompletedProcess:
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


@pytest.mark.browser
def test_seeds_report_renders_right_to_left_with_highlights(seed_paths, tmp_path):
    import riwaya
    from riwaya.report import render

    comparison = riwaya.compare(list(seed_paths))
    page = tmp_path / "seeds.html"
    page.write_text(render(comparison, "html"), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "compare-seeds.png"
    shot.unlink(missing_ok=True)
    run_chromium(f"--screenshot={shot}", "--window-size=1400,2000", "--hide-scrollbars", page.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000

    dom = run_chromium("--dump-dom", "--virtual-time-budget=2000", page.as_uri()).stdout
    assert '<html lang="ar" dir="rtl">' in dom
    assert dom.count('<article class="article"') == 2 and dom.count('dir="rtl"') >= 3
    assert "<mark" in dom
    findings = re.findall(r'<div class="finding k-[a-z_]+" id="([^"]+)"', dom)
    assert findings
    for fid in findings:
        links = re.findall(rf'href="#{re.escape(fid)}-e(\d+)"', dom)
        assert links, fid
        for n in links:
            assert f'id="{fid}-e{n}"' in dom  # every evidence link lands on a span in an article

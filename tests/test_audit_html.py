"""The HTML report of an audit, loaded in a real headless browser (Debian's chromium):
no console error, and every verdict mark sits on the row of its step, right of the math."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("markdown_it", reason="the optional extra 'audit' is not installed")
pytest.importorskip("latex2mathml", reason="the optional extra 'audit' is not installed")

from symconv.documents.audit import AuditOptions, audit  # noqa: E402
from symconv.surfaces import audit_report, plot  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

NOTES = Path(__file__).resolve().parents[1] / "docs" / "notes" / "math-for-dl-notes.md"

#: Appended to a copy of the page: measures each step row and writes the result into the DOM.
PROBE = """<script>
const rows = [...document.querySelectorAll('tr.step')].map(tr => {
  const math = tr.querySelector('td.math').getBoundingClientRect();
  const markEl = tr.querySelector('.mark');
  const mark = markEl.getBoundingClientRect();
  return {step: tr.dataset.step, status: tr.dataset.status, mark_class: markEl.className, text: markEl.textContent,
          math: [math.left, math.top, math.right, math.bottom],
          mark: [mark.left, mark.top, mark.right, mark.bottom]};
});
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify(rows);
document.body.appendChild(pre);
</script>"""


def _chromium(page: Path, *extra: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={profile}", "--window-size=1280,2000",
             "--enable-logging=stderr", "--v=0", *extra, page.as_uri()],
            capture_output=True, text=True, timeout=120,
        )


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


@pytest.fixture(scope="module")
def report():
    return audit(NOTES, AuditOptions())


@pytest.fixture(scope="module")
def page(report, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "notes.html"
    path.write_text(audit_report.html_report(report), encoding="utf-8")
    return path


def test_the_console_check_sees_an_error_when_there_is_one(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><script>console.error('boom')</script></body></html>")
    done = _chromium(bad, "--dump-dom")
    assert any("boom" in line for line in _console(done.stderr)), done.stderr[-2000:]


def test_the_report_loads_without_a_console_error(page):
    done = _chromium(page, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console(done.stderr) == []
    assert "<math" in done.stdout and "(8)" in done.stdout
    assert "<script" not in page.read_text(encoding="utf-8")  # the report itself has no script


def test_every_verdict_mark_sits_beside_its_step(report, page, tmp_path):
    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                      encoding="utf-8")
    done = _chromium(probed, "--dump-dom")
    start = done.stdout.index('<pre id="probe">') + len('<pre id="probe">')
    rows = json.loads(done.stdout[start: done.stdout.index("</pre>", start)].replace("&quot;", '"'))
    steps = {f"{i}.{k}": s for i, item in enumerate(report.items)
             for k, s in enumerate(item.all_steps())}
    assert sorted(row["step"] for row in rows) == sorted(steps) and len(rows) > 30
    for row in rows:
        step = steps[row["step"]]
        assert row["status"] == step.status.replace(" ", "-")
        assert row["status"] in row["mark_class"]
        (ml, mt, mr, mb), (kl, kt, kr, kb) = row["math"], row["mark"]
        centre = (kt + kb) / 2
        assert mt <= centre <= mb, row  # on the same row as the step's formula
        assert kl >= mr - 1, row  # to the right of it
        assert kr - kl > 5 and kb - kt > 5, row  # visible
    failing = [row for row in rows if row["status"] == "fails"]
    assert failing and all(row["text"].startswith("✘") for row in failing)


def test_refuted_steps_carry_their_counterexample_and_plot(report):
    html = audit_report.html_report(report)
    assert "witness: f(x) = " in html
    if plot.available():
        assert html.count('<img class="plot"') >= 1
    else:
        assert '<img class="plot"' not in html

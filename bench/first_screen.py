"""First-screen benchmark: how long a leader waits for the first screen of a page, fully drawn, in Chromium,
against a bare Streamlit page (bench/bare_page.py: one Altair chart, one 12-row table) served by the same Streamlit.

"Fully drawn" is what a person sees as done: the script has stopped, and on the first screen (the window before
any scrolling) no skeleton, spinner or stale element is left and every chart and table has painted (a Vega canvas
or SVG, the grid's canvas). Below the first screen Streamlit itself draws a table only once it is scrolled to.
It is timed inside the page from the navigation's start (performance.now), checked on every animation
frame. Cold is the server's first visitor (a server started for that visit, a new browser profile); warm is the
same page reloaded (median of three). The pages and the bare page take turns, a fresh server each, round after
round, so a burst of load slows both sides of a ratio alike. Not a test: nothing here fails on time.

usage: .venv/bin/python bench/first_screen.py [--rounds N] [--db PATH] [--width PX]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.memory import sample_db
from bench.serving import chromium, server
from ground import fmt

BARE = ("trang trần", ROOT / "bench" / "bare_page.py", "")
PAGES = (("/", ""), ("/chi-tieu", "chi-tieu"), ("/thon", "thon"))
GOALS = {"cold": 1.3, "warm": 1.6}
WARM_RELOADS = 3

# Returns false until the first screen is fully drawn, then the milliseconds since the navigation began (and how
# long before that the script had stopped: Streamlit's "idle" can come before the content is there).
DRAWN = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const idle = app && app.getAttribute("data-test-script-state") === "notRunning";
  if (idle && window.__idleAt === undefined) window.__idleAt = performance.now();
  if (!idle || !document.querySelector("[data-testid='stMain'] [data-testid='stHeading']")) return false;
  const vh = window.innerHeight;
  const inView = el => { const r = el.getBoundingClientRect(); return r.height > 0 && r.top < vh && r.bottom > 0; };
  const waiting = document.querySelectorAll("[data-testid='stSkeleton'], [data-testid='stAppSkeleton'], " +
      "[data-testid='stSpinner'], [data-stale='true']");
  if ([...waiting].some(inView)) return false;
  for (const c of document.querySelectorAll("[data-testid='stVegaLiteChart']")) {
    if (!inView(c)) continue;
    const m = c.querySelector("canvas, svg.marks");
    if (!m || m.getBoundingClientRect().width === 0) return false;
  }
  for (const t of document.querySelectorAll("[data-testid='stDataFrame']")) {
    if (!inView(t)) continue;
    const g = t.querySelector("canvas");
    if (!g || g.width === 0) return false;
  }
  return [performance.now(), window.__idleAt];
}"""


# What is still missing, said when a page never finishes drawing.
PENDING = """() => ({
  state: document.querySelector("[data-testid='stApp']")?.getAttribute("data-test-script-state"),
  heading: !!document.querySelector("[data-testid='stMain'] [data-testid='stHeading']"),
  waiting: [...document.querySelectorAll("[data-testid='stSkeleton'], [data-testid='stAppSkeleton'], " +
            "[data-testid='stSpinner'], [data-stale='true']")].map(e => e.outerHTML.slice(0, 160)),
  charts: [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
            .map(c => !!c.querySelector("canvas, svg.marks")),
  tables: [...document.querySelectorAll("[data-testid='stDataFrame']")].map(t => !!t.querySelector("canvas")),
})"""


def _drawn_ms(page) -> tuple[float, float]:
    try:
        got = page.wait_for_function(DRAWN, polling="raf", timeout=120_000).json_value()
    except Exception as exc:
        raise RuntimeError(f"{page.url}: not drawn: {page.evaluate(PENDING)}") from exc
    if page.locator("[data-testid='stException']").count():
        raise RuntimeError(f"{page.url}: the page shows an error")
    return got[0] / 1000, (got[0] - got[1]) / 1000


def visit(browser, script: Path, path: str, env: dict, log: Path, width: int) -> dict:
    """A fresh server of `script`: its first visitor (cold), then the page reloaded (warm)."""
    with server(script, log, env) as (url, _pid):
        context = browser.new_context(viewport={"width": width, "height": 900 if width > 640 else 844})
        try:
            page = context.new_page()
            page.goto(f"{url}/{path}", wait_until="commit")
            cold, cold_gap = _drawn_ms(page)
            warm = []
            for _ in range(WARM_RELOADS):
                page.reload(wait_until="commit")
                warm.append(_drawn_ms(page)[0])
        finally:
            context.close()
    return {"cold": cold, "warm": statistics.median(warm), "idle_early": cold_gap}


def run(db: Path, rounds: int, width: int) -> dict:
    """{"bare": [visit…], "/": [visit…], …}: every page and the bare page once per round, in turns."""
    results: dict[str, list[dict]] = {BARE[0]: []} | {name: [] for name, _ in PAGES}
    with tempfile.TemporaryDirectory(prefix="bench-first-") as tmp, chromium() as browser:
        log = Path(tmp) / "streamlit.log"
        for r in range(rounds):
            results[BARE[0]].append(visit(browser, BARE[1], BARE[2], {}, log, width))
            for name, path in PAGES:
                served = ROOT / "app_pages" / "server.py"
                results[name].append(visit(browser, served, path, {"XANH_DB": str(db)}, log, width))
            print(f"  vòng {r + 1}/{rounds} xong", file=sys.stderr)
    return results


def ratios(results: dict) -> list[tuple[str, str, float, float, float, float]]:
    """(page, cold|warm, median ratio, lowest, highest, the page's median seconds): each round's page against the
    same round's bare page."""
    bare = results[BARE[0]]
    out = []
    for name, _ in PAGES:
        for when in ("cold", "warm"):
            rs = [v[when] / b[when] for v, b in zip(results[name], bare, strict=True)]
            secs = statistics.median(v[when] for v in results[name])
            out.append((name, when, statistics.median(rs), min(rs), max(rs), secs))
    return out


def report(results: dict) -> None:
    bare = results[BARE[0]]
    cold, warm = (statistics.median(b[w] for b in bare) for w in ("cold", "warm"))
    print(f"Trang trần (một biểu đồ Altair, một bảng 12 dòng): lần đầu {fmt.number(cold, 2)} s, mở lại "
          f"{fmt.number(warm, 2)} s (trung vị {len(bare)} vòng)")  # fmt: skip
    print(f"  {'trang':<11}{'lúc':<6}{'tỷ số':>8}{'thấp–cao':>14}{'giây':>8}{'mục tiêu':>10}")
    for name, when, ratio, low, high, secs in ratios(results):
        print(f"  {name:<11}{when:<6}{fmt.number(ratio, 2):>8}"
              f"{fmt.number(low, 2) + '–' + fmt.number(high, 2):>14}{fmt.number(secs, 2):>8}"
              f"{'≤ ' + fmt.number(GOALS[when], 1):>10}")  # fmt: skip
    for name, _ in PAGES:
        gap = max(v["idle_early"] for v in results[name])
        print(f"  {name}: 'idle' của Streamlit đến trước khi vẽ xong tối đa {fmt.number(gap, 2)} s")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", type=Path, help="the database the pages serve (default: the sample data)")
    parser.add_argument("--width", type=int, default=1280, help="the window's width in px (390: a phone)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-first-db-") as tmp:
        db = args.db or sample_db(Path(tmp))
        results = run(db, args.rounds, args.width)
    report(results)
    return results


if __name__ == "__main__":
    main()

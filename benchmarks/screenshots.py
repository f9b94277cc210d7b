"""Screenshots of every web UI view into docs/img/ (`make screenshots`).

Codes the bundled example corpus with `allegiance run` into a temporary store, starts
`allegiance serve` on it, and with Debian's Chromium (Playwright, /usr/bin/chromium) opens each
view, waits until the page says its data has loaded (``body[data-loaded=true]``), and shoots it.
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
VIEWS = ("map", "timeline", "events", "stories", "sides")


def free_port() -> int:
    """An unused TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shoot(url: str, out: Path) -> list[Path]:
    """One PNG per view (and the map with a cluster opened) of the UI at ``url``; RETURNS the files."""
    from playwright.sync_api import sync_playwright

    files = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        for view in VIEWS:
            page.goto(f"{url}#{view}")
            page.wait_for_selector("body[data-loaded=true]", state="attached", timeout=60_000)
            if view == "map":  # open the largest cluster: its evidence sentences fill the panel
                page.locator("#map g.marker").first.click()
                page.wait_for_selector("#map-detail blockquote.evidence")
            if view == "events":
                page.locator("#events-table tbody tr").first.click()
            if view == "stories":
                page.locator("#stories-table tbody tr").first.click()
                page.wait_for_selector("#story-detail blockquote.evidence")
            path = out / f"ui-{view}.png"
            page.screenshot(path=str(path))
            files.append(path)
            page.goto("about:blank")
        # the sides of one theatre (the largest), chosen with the picker's URL parameter
        largest = next((t["code"] for t in httpx.get(url + "api/theatres", timeout=60).json() if t["code"]), None)
        if largest:
            page.goto(f"{url}?theatre={largest}#sides")
            page.wait_for_selector("body[data-loaded=true]", state="attached", timeout=60_000)
            page.wait_for_function(f"() => window.allegianceSides && window.allegianceSides.theatre && "
                                   f"window.allegianceSides.theatre.code === '{largest}'", timeout=60_000)
            path = out / "ui-sides-theatre.png"
            page.screenshot(path=str(path))
            files.append(path)
        browser.close()
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder for the PNG files")
    args = ap.parse_args()
    exe = [sys.executable, "-m", "allegiance.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "demo.duckdb"
        subprocess.run([*exe, "run", "--store", str(store)], check=True, cwd=ROOT)
        port = free_port()
        server = subprocess.Popen([*exe, "serve", "--store", str(store), "--port", str(port)], cwd=ROOT)
        try:
            url = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(url + "api/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("allegiance serve did not start")
                time.sleep(0.3)
            args.out.mkdir(parents=True, exist_ok=True)
            for path in shoot(url, args.out):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        finally:
            server.terminate()
            server.wait(20)


if __name__ == "__main__":
    main()

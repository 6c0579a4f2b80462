"""Screenshot of the Today page on the seeded fixture database → docs/screenshot-today.png.

Run: .venv/bin/python -m bench.screenshot  (needs Debian's chromium at /usr/bin/chromium)
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from api.app import create_app
from tests.live_server import CHROMIUM, CHROMIUM_ARGS, live_server
from tests.seed import NOW, seed

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshot-today.png"


def main() -> int:
    logging.basicConfig(level=logging.INFO)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "seeded.db"
        seed(db)
        with live_server(create_app(db, clock=lambda: NOW)) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(f"{base}/")
            OUT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(OUT), full_page=True)
            browser.close()
    logging.getLogger("screenshot").info("wrote %s", OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())

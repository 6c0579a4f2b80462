"""Screenshots of Today, Story, Therapy and Search on the seeded fixture database, at desktop
width and on a 390 px phone → docs/screenshot-{page}.png and docs/screenshot-{page}-phone.png.

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

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = {"today": "/", "story": "/story/1", "therapy": "/therapy/cilta-cel", "search": "/search?q=myeloma"}
SIZES = {"": {"width": 1200, "height": 900}, "-phone": {"width": 390, "height": 844}}


def main() -> int:
    logging.basicConfig(level=logging.INFO)
    log = logging.getLogger("screenshot")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "seeded.db"
        seed(db)
        with live_server(create_app(db, clock=lambda: NOW)) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            DOCS.mkdir(parents=True, exist_ok=True)
            for suffix, viewport in SIZES.items():
                page = browser.new_page(viewport=viewport)
                for name, path in PAGES.items():
                    page.goto(f"{base}{path}")
                    out = DOCS / f"screenshot-{name}{suffix}.png"
                    # Phones: the first screen, which is what a reader sees; desktop: the whole page.
                    page.screenshot(path=str(out), full_page=not suffix)
                    log.info("wrote %s", out)
                page.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

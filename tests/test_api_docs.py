"""OpenAPI docs work offline: no page of ours loads anything from another host."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app


def test_docs_and_redoc_use_packaged_assets_only(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "docs.db"))
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert assets and all(a.startswith("/") for a in assets), assets
        for asset in assets:
            assert client.get(asset).status_code == 200, asset
    spec = client.get("/openapi.json").json()
    assert "/articles" in spec["paths"] and "/claims" in spec["paths"]

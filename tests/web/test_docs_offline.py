"""/docs and the screens load nothing from another host: every asset is served here."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import Demo


def test_docs_load_every_asset_from_this_service(demo: Demo) -> None:
    with TestClient(demo.app) as client:
        page = client.get("/docs")
        assert page.status_code == 200
        policy = page.headers["content-security-policy"]
        assert "http" not in policy
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert assets
        assert all(a.startswith("/") for a in assets), assets
        for asset in assets:
            assert client.get(asset).status_code == 200, asset
        assert "SwaggerUIBundle" in client.get("/docs/assets/swagger-ui-bundle.js").text


def test_screens_load_every_asset_from_this_service(demo: Demo) -> None:
    with TestClient(demo.app) as client:
        page = client.get("/aanmelden")
        assert "default-src 'none'" in page.headers["content-security-policy"]
        for asset in re.findall(r'(?:src|href)="([^"#]+)"', page.text):
            assert asset.startswith("/"), asset
            assert client.get(asset).status_code == 200, asset

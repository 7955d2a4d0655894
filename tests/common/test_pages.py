"""The start page, offline documentation pages and the browsable API's log-in (issue 12, item 5)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from common.pages import DOCS_CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ROOT = "http://testserver"
EXPECTED_SITE = {
    "name": "Five business APIs",
    "version": "1.0.0",
    "apis": [
        {"app": "accounts", "name": "VRt.Account", "base_url": ROOT, "paths": [f"{ROOT}/account/"]},
        {"app": "routes", "name": "Unit routes database", "base_url": f"{ROOT}/routes", "paths": [f"{ROOT}/routes/"]},
        {
            "app": "passports",
            "name": "Feecc Analytics",
            "base_url": ROOT,
            "paths": [f"{ROOT}/api/v1/", f"{ROOT}/token"],
        },
        {"app": "calculations", "name": "formula", "base_url": f"{ROOT}/formula", "paths": [f"{ROOT}/formula/"]},
        {
            "app": "terminals",
            "name": "Datawiz API v1",
            "base_url": ROOT,
            "paths": [f"{ROOT}/api/v1/terminals/", f"{ROOT}/api/v1/shops/", f"{ROOT}/api/o/token/"],
        },
    ],
    "docs": {
        "swagger_ui": f"{ROOT}/api/docs/",
        "redoc": f"{ROOT}/api/redoc/",
        "openapi_schema": f"{ROOT}/api/schema/",
        "vrt_account": f"{ROOT}/account/file/account_en.html",
    },
    "admin": f"{ROOT}/admin/",
}


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_root_answers_json_to_an_api_client(client, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.get("/", **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"]
    assert response.json() == EXPECTED_SITE


def test_root_answers_html_to_a_browser(client):
    response = client.get("/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    for api in EXPECTED_SITE["apis"]:
        assert api["name"] in html and f"<code>{api['base_url']}</code>" in html
        for path in api["paths"]:
            assert f"<code>{path}</code>" in html
    for url in [*EXPECTED_SITE["docs"].values(), EXPECTED_SITE["admin"]]:
        assert f'href="{url}"' in html
    # Every link it offers answers.
    for url in [*EXPECTED_SITE["docs"].values()]:
        assert client.get(url.removeprefix(ROOT)).status_code == 200, url


def test_root_follows_the_host_and_scheme_of_the_request(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client().get("/", HTTP_HOST="api.example.com", HTTP_X_FORWARDED_PROTO="https")
    assert response.json()["apis"][1]["base_url"] == "https://api.example.com/routes"


def test_root_refuses_writes(client):
    assert client.post("/", {}).status_code == 405


def test_admin_view_site_opens_the_root_page(admin_user, client):
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert 'href="/"' in html  # "View site"


def _external_urls(text: str) -> list[str]:
    return re.findall(r"""(?:https?:)?//[a-zA-Z0-9.-]+\.[a-z]{2,}[^"'\s)>]*""", text)


@pytest.mark.parametrize(
    "path", ["/api/redoc/", "/api/docs/", "/account/file/account_en.html", "/account/file/account_ru.html"]
)
def test_doc_pages_load_nothing_from_outside(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert _external_urls(html) == [], path
    # Every script, stylesheet and image the page names is one of this server's static files.
    for asset in re.findall(r"""(?:src|href)="([^"]+)\"""", html):
        assert asset.startswith("/"), asset
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
    # The Redoc bundle itself renders Redocly's logo from a CDN: the browser is told to load
    # nothing that is not this server's.
    policy = response["Content-Security-Policy"]
    assert policy == DOCS_CONTENT_SECURITY_POLICY
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    for directive in ("default-src", "img-src", "script-src", "style-src", "font-src", "connect-src"):
        sources = directives[directive].split()
        assert all(source in ("'self'", "'unsafe-inline'", "data:") for source in sources), (directive, sources)


def test_redoc_bundle_fetches_only_the_logo_the_policy_blocks():
    """What the policy is for: the only resource the sidecar's Redoc bundle loads from outside."""
    path = finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    with open(path, encoding="utf-8") as bundle:
        source = bundle.read()
    loaded = set(re.findall(r"""src:"(https?://[^"]+)\"""", source))
    assert loaded == {"https://cdn.redoc.ly/redoc/logo-mini.svg"}


def test_browsable_api_offers_a_log_in_link_that_logs_in(demo_user, password):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/api/v1/terminals/.api", HTTP_ACCEPT="text/html")
    assert page.status_code in (401, 403)
    html = page.content.decode()
    link = re.search(r"""href=['"](/api-auth/login/\?next=[^'"]+)['"]""", html)
    assert link, "no log-in link in the browsable API"
    login_url = link.group(1).replace("&amp;", "&")
    form = client.get(login_url)
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode()).group(1)
    done = client.post(login_url, {"username": "demo", "password": password, "csrfmiddlewaretoken": token})
    assert done.status_code == 302
    assert done["Location"] == "/api/v1/terminals/.api"
    again = client.get("/api/v1/terminals/.api", HTTP_ACCEPT="text/html")
    assert again.status_code == 200
    assert "demo" in again.content.decode()
    assert "/api-auth/logout/" in again.content.decode()


def test_log_in_page_refuses_a_wrong_password(demo_user):
    client = Client()
    response = client.post("/api-auth/login/", {"username": "demo", "password": "wrong-password-123"})
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session

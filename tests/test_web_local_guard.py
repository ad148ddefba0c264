"""Local mode is safe from other web pages: the Host check, the Origin check, the CSRF token.

A web page the person visits must not be able to wipe the log (a form that
submits itself to /data/delete) nor read it (a DNS-rebinding page fetching
/api/v1/me/export). Tested with forged headers through ``TestClient``, and with a
real hostile page in Chromium, served from a second loopback origin.
"""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient
from tests._browser import ARGS, CHROMIUM, free_port, needs_chromium, running
from tests._web import BASE_URL, asgi_post, local_client

from magwise.cli import cli
from magwise.examples.diary import seed_example
from magwise.store import Store
from magwise.web import Settings, create_app


@pytest.fixture
def client(tmp_path: Path, data_dir: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'magwise.sqlite3'}"
    with Store.open(url) as store:
        assert seed_example(store, store.local_person())
    with local_client(create_app(Settings(database_url=url, warm_up=False))) as client:
        yield client


def entries(client: TestClient) -> int:
    answer = client.get("/api/v1/me/entries")
    assert answer.status_code == 200
    return len(answer.json())


# -- Host: DNS rebinding -----------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:8000",  # a rebinding name pointed at 127.0.0.1
        "evil.example",
        "127.0.0.1.evil.example:8000",
        "localhost.:8000",
        "127.0.0.1:8001",  # the right address, another port
        "127.0.0.1:8000:80",
        "[::1",
        "",
    ],
)
def test_a_foreign_host_reads_nothing(client: TestClient, host: str) -> None:
    answer = client.get("/api/v1/me/export", headers={"host": host})
    assert answer.status_code == 421
    assert answer.json()["detail"][0]["field"] == "Host"
    assert "Oatmeal" not in answer.text and "foods" not in answer.text
    assert client.get("/today", headers={"host": host}).status_code == 421


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST:8000"]
)
def test_the_own_names_are_served(client: TestClient, host: str) -> None:
    assert client.get("/api/v1/me/export", headers={"host": host}).status_code == 200


def test_the_host_option_names_what_is_served(data_dir: Path) -> None:
    app = create_app(Settings(host="magwise.lan", port=9000, warm_up=False))
    with TestClient(app, base_url="http://magwise.lan:9000") as client:
        assert client.get("/api/v1/health").status_code == 200
        assert client.get("/api/v1/health", headers={"host": "other.lan:9000"}).status_code == 421
    anywhere = create_app(Settings(host="0.0.0.0", port=9000, warm_up=False))
    with TestClient(anywhere, base_url="http://192.0.2.7:9000") as client:
        assert client.get("/api/v1/health").status_code == 200  # an address of the machine
        assert (
            client.get("/api/v1/health", headers={"host": "evil.example:9000"}).status_code == 421
        )


# -- Origin and CSRF ----------------------------------------------------------------


def test_a_form_from_another_site_does_not_wipe_the_log(client: TestClient) -> None:
    held = entries(client)
    assert held > 0
    bare = TestClient(client.app, base_url=BASE_URL)  # a browser: no token to send
    forged = [
        bare.post("/data/delete", headers={"origin": "http://127.0.0.2:8000"}),
        bare.post("/data/delete"),
        bare.post("/data/delete", data={"csrf_token": "guessed-" * 4}),
        bare.delete("/api/v1/me"),
        bare.post("/data/delete", headers={"origin": "null"}),
        # the right token, sent from another origin or marked cross-site by the browser
        client.post("/data/delete", headers={"origin": "http://127.0.0.2:8000"}),
        client.post("/data/delete", headers={"origin": "http://localhost:8001"}),
        client.post("/data/delete", headers={"origin": "https://127.0.0.1:8000"}),
        client.post("/data/delete", headers={"sec-fetch-site": "cross-site"}),
        client.post("/data/delete", headers={"sec-fetch-site": "same-site"}),
        client.delete("/api/v1/me", headers={"origin": "http://evil.example"}),
    ]
    assert [answer.status_code for answer in forged] == [403] * len(forged)
    assert entries(client) == held


def test_the_own_pages_still_write(client: TestClient) -> None:
    token = client.get("/api/v1/csrf").json()["csrf_token"]
    bare = TestClient(client.app, base_url=BASE_URL, follow_redirects=False)
    page = bare.get("/data/delete").text
    assert f'name="csrf_token" value="{token}"' in page  # the form carries the token
    same = {"origin": BASE_URL, "sec-fetch-site": "same-origin"}
    answer = bare.post("/data/delete", data={"csrf_token": token}, headers=same)
    assert answer.status_code == 303
    assert entries(client) == 0


def test_a_large_form_without_token_is_not_read_in_full(client: TestClient) -> None:
    """Refused after its start: the token is the first field of every form."""
    form = {"content-type": "application/x-www-form-urlencoded"}
    status, pulled = asgi_post(client.app, "/data/delete", form, chunks=1000)
    assert status == 403
    assert pulled < 100  # of 1,000 chunks of 1 KiB


def test_a_large_form_with_its_token_first_goes_through(client: TestClient) -> None:
    token = client.get("/api/v1/csrf").json()["csrf_token"]
    bare = TestClient(client.app, base_url=BASE_URL, follow_redirects=False)
    pad = "x" * (200 * 1024)
    answer = bare.post("/data/delete", data={"csrf_token": token, "pad": pad})
    assert answer.status_code == 303
    multipart = bare.post(
        "/data/import",
        data={"csrf_token": token},
        files={"file": ("e.json", b"{" + b" " * (200 * 1024) + b"}", "application/json")},
    )
    assert multipart.status_code == 422  # past the token: the page, the export refused
    assert 'class="log-error"' in multipart.text


# -- --host 0.0.0.0 -----------------------------------------------------------------


def test_serving_on_every_address_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    out = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert out.exit_code == 0, out.output
    assert "anyone on the network" in out.output and "--multi-user" in out.output
    quiet = CliRunner().invoke(cli, ["serve"])
    assert "anyone on the network" not in quiet.output


# -- a real hostile page in Chromium -------------------------------------------------

HOSTILE = """<!doctype html><html><body>
<form id="wipe" method="post" action="{target}/data/delete" target="sink">
  <input name="csrf_token" value="guessed">
</form>
<iframe name="sink"></iframe>
<pre id="out">waiting</pre>
<script>
const out = document.getElementById("out");
async function attack() {{
  let read = "";
  for (const path of ["/api/v1/me/export", "/api/v1/csrf"]) {{
    try {{
      const answer = await fetch("{target}" + path, {{credentials: "include"}});
      read += path + " READ " + (await answer.text()) + "\\n";
    }} catch (error) {{
      read += path + " blocked\\n";
    }}
  }}
  try {{
    const answer = await fetch("{target}/api/v1/me", {{method: "DELETE"}});
    read += "DELETE " + answer.status + "\\n";
  }} catch (error) {{
    read += "DELETE blocked\\n";
  }}
  try {{
    await fetch("{target}/data/delete", {{method: "POST", mode: "no-cors",
      headers: {{"Content-Type": "application/x-www-form-urlencoded"}}, body: "x=1"}});
  }} catch (error) {{}}
  document.getElementById("wipe").submit();
  out.textContent = read + "done";
}}
attack();
</script></body></html>"""


@needs_chromium
def test_a_hostile_page_in_chromium_neither_wipes_nor_reads_the_log(
    tmp_path: Path, data_dir: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with running(tmp_path, "--example") as magwise:
        held = magwise.counts()
        assert sum(held.values()) > 0
        port = free_port()
        html = HOSTILE.format(target=magwise.url).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(html)

            def log_message(self, *args: object) -> None:
                pass

        hostile = http.server.ThreadingHTTPServer(("127.0.0.2", port), Handler)
        threading.Thread(target=hostile.serve_forever, daemon=True).start()
        rebinding = "--host-resolver-rules=MAP rebind.test 127.0.0.1"
        try:
            with magwise.watch(), sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=[*ARGS, rebinding]
                )
                try:
                    page = browser.new_page()
                    page.goto(f"http://127.0.0.2:{port}/")
                    page.wait_for_function(
                        "document.getElementById('out').textContent.endsWith('done')"
                    )
                    page.wait_for_timeout(1000)  # let the submitted form land, if it would
                    said = page.evaluate("document.getElementById('out').textContent")
                    assert "READ" not in said, said
                    assert "DELETE 2" not in said, said
                    # the rebinding page: a name of the attacker's now pointing at 127.0.0.1
                    rebound = browser.new_page()
                    answer = rebound.goto(f"http://rebind.test:{magwise.port}/api/v1/me/export")
                    assert answer is not None and answer.status == 421
                    assert "foods" not in rebound.content()
                    read = rebound.evaluate("fetch('/api/v1/me/export').then(r => r.status)")
                    assert read == 421  # the page's own script, same origin after rebinding
                    assert magwise.counts() == held
                    # the person's own page still deletes, when the person asks
                    own = browser.new_page()
                    own.goto(f"{magwise.url}/data/delete")
                    own.locator("button.danger").click()
                    expect(own).to_have_url(re.compile(r"/data\?done=deleted"))
                finally:
                    browser.close()
        finally:
            hostile.shutdown()
            hostile.server_close()
        assert sum(magwise.counts().values()) == 0

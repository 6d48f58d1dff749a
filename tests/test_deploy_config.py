"""The class deployment's nginx configuration (docs/deploy/nginx-basic-auth.conf) really works: run by a
real nginx on loopback in front of a stand-in for the app, it refuses anonymous requests, lets a learner
in with their password, passes their name as X-Kg-User (replacing one the browser sent) and keeps the
password from the app. nginx comes from the README's test command; missing, the test is skipped, and
under CI=true it fails."""
from __future__ import annotations

import base64
import http.server
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[1] / "docs" / "deploy" / "nginx-basic-auth.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        body = f"user={self.headers.get('X-Kg-User')};auth={self.headers.get('Authorization')}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx_site(tmp_path):
    if not Path(NGINX).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("nginx is not installed (apt-get install nginx-light)")
        pytest.skip("nginx is not installed")
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    https_port, http_port = _free_port(), _free_port()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
                    "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"], check=True, capture_output=True)
    salt = "kgsalt12"
    hashed = subprocess.run(["openssl", "passwd", "-apr1", "-salt", salt, "s3cret"], check=True, capture_output=True,
                            text=True).stdout.strip()
    (tmp_path / "htpasswd").write_text(f"ada:{hashed}\n")
    site = CONFIG.read_text()
    site = site.replace("server 127.0.0.1:8501;", f"server 127.0.0.1:{app.server_address[1]};")
    site = re.sub(r"listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;", site)
    site = re.sub(r"listen 80;", f"listen 127.0.0.1:{http_port};", site)
    site = site.replace("/etc/ssl/certs/kg.example.org.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/ssl/private/kg.example.org.key", str(tmp_path / "key.pem"))
    site = site.replace("/etc/nginx/kg.htpasswd", str(tmp_path / "htpasswd"))
    (tmp_path / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\ndaemon off;\n"
        f"events {{}}\nhttp {{\n access_log off;\n client_body_temp_path {tmp_path}/body;\n proxy_temp_path {tmp_path}/proxy;\n"
        f" fastcgi_temp_path {tmp_path}/fcgi;\n uwsgi_temp_path {tmp_path}/uwsgi;\n scgi_temp_path {tmp_path}/scgi;\n"
        f" include {tmp_path}/site.conf;\n}}\n")
    checked = subprocess.run([NGINX, "-t", "-c", tmp_path / "nginx.conf"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen([NGINX, "-c", tmp_path / "nginx.conf"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"https://127.0.0.1:{https_port}/", f"http://127.0.0.1:{http_port}/"
    server.terminate()
    server.wait(10)
    app.shutdown()


def _get(url: str, headers: dict | None = None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, ""


def test_the_basic_auth_configuration_lets_only_learners_in_and_names_them(nginx_site):
    https, plain = nginx_site
    assert _get(plain)[0] == 301  # passwords never travel in clear text
    assert _get(https)[0] == 401
    assert _get(https, {"X-Kg-User": "mallory"})[0] == 401
    wrong = base64.b64encode(b"ada:wrong").decode()
    assert _get(https, {"Authorization": f"Basic {wrong}"})[0] == 401
    right = base64.b64encode(b"ada:s3cret").decode()
    status, body = _get(https, {"Authorization": f"Basic {right}", "X-Kg-User": "mallory"})
    assert status == 200 and body == "user=ada;auth=None"

"""Smoke test of the production shape through nginx: health, HTTPS redirect, static files from nginx,
login as a demo user, a page, an XLSX export built by the background worker, a PDF.

Usage: python deploy/ci/smoke.py https://localhost:8443 http://localhost:8080 CA_CERT
"""

import io
import re
import sys
import time

import requests
from openpyxl import load_workbook

BASE, PLAIN, CA = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/"), sys.argv[3]
SCHOOL = "school-1"
USER, PASSWORD = "curator", "nastavnik-demo"


def step(text):
    print(f"  - {text}", flush=True)


def check(condition, message):
    if not condition:
        raise SystemExit(f"SMOKE FAILED: {message}")


session = requests.Session()
session.verify = CA
# REQUESTS_CA_BUNDLE or a proxy from the environment would override the trusted certificate.
session.trust_env = False

response = session.get(f"{BASE}/health/", timeout=10)
healthy = response.status_code == 200 and response.json()["status"] == "ok"
check(healthy, f"health: {response.status_code} {response.text}")
step(f"health: {response.json()['checks']}")

plain = requests.Session()
plain.trust_env = False
response = plain.get(f"{PLAIN}/accounts/login/", allow_redirects=False, timeout=10)
check(response.status_code == 301 and response.headers["Location"].startswith("https://"), "HTTP is not sent to HTTPS")
step("plain HTTP is redirected to HTTPS by nginx")

response = session.get(f"{BASE}/accounts/login/", timeout=10)
check(response.status_code == 200, f"login page: {response.status_code}")
check("Strict-Transport-Security" in response.headers, "no HSTS: Django did not see HTTPS (X-Forwarded-Proto)")
static = re.search(r'href="(/static/[^"]+\.css)"', response.text)
check(static, "no stylesheet on the login page")
asset = session.get(BASE + static.group(1), timeout=10)
check(asset.status_code == 200 and "immutable" in asset.headers.get("Cache-Control", ""), "static file not from nginx")
step(f"static file served by nginx: {static.group(1)}")

token = session.cookies["csrftoken"]
response = session.post(
    f"{BASE}/accounts/login/",
    data={"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token},
    headers={"Referer": f"{BASE}/accounts/login/"},
    allow_redirects=False,
    timeout=10,
)
check(response.status_code == 302, f"login failed: {response.status_code}")
cookie = next(c for c in session.cookies if c.name == "sessionid")
check(cookie.secure, "the session cookie is not Secure")
step(f"logged in as {USER}; the session cookie is Secure")

response = session.get(f"{BASE}/o/{SCHOOL}/people/", timeout=30)
check(response.status_code == 200 and "<table" in response.text, f"people list: {response.status_code}")
step("people list page")

started = time.monotonic()
response = session.get(f"{BASE}/o/{SCHOOL}/export/people/?format=xlsx", allow_redirects=False, timeout=30)
check(response.status_code == 302 and "/exports/" in response.headers["Location"], "the export was not queued")
job = re.search(r"/exports/(\d+)/", response.headers["Location"]).group(1)
while True:
    progress = session.get(f"{BASE}/o/{SCHOOL}/exports/{job}/progress/", timeout=10)
    if "/download/" in progress.text:
        break
    check("job-error" not in progress.text, f"the export failed: {progress.text}")
    check(time.monotonic() - started < 120, "the export was not built within 2 minutes: is the worker running?")
    time.sleep(1)
download = session.get(f"{BASE}/o/{SCHOOL}/exports/{job}/download/", timeout=30)
check(download.status_code == 200, f"download: {download.status_code}")
sheet = load_workbook(io.BytesIO(download.content), read_only=True).active
rows = sum(1 for _ in sheet.iter_rows())
check(rows > 5, f"the XLSX has {rows} rows")
step(f"XLSX built by the worker in {time.monotonic() - started:.1f} s: {rows} rows")

orders = session.get(f"{BASE}/o/{SCHOOL}/orders/", timeout=30)
order = re.search(rf"/o/{SCHOOL}/orders/(\d+)/", orders.text)
check(order, "no order on the orders page")
pdf = session.get(f"{BASE}/o/{SCHOOL}/orders/{order.group(1)}/pdf/", timeout=60)
check(pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), f"order PDF: {pdf.status_code}")
step(f"order PDF: {len(pdf.content)} bytes")
print("smoke through nginx: OK")

# ruff: noqa: S311 - pseudo-random picks of pages, not secrets
"""Load scenario of «Наставник» (make load): staff working in the demo school, and people answering
questionnaires through their personal links, over the production shape (nginx → gunicorn → PostgreSQL,
exports built by the worker).

Staff (4 of 5 users) log in as the demo curator and open, with their weights: the home page (3), the
people list (4), a person's card (3), the pairs (2), the roadmap (2), an order's preview (1) and an XLSX
export of the people list (1), which is queued, built by the worker, polled every second and downloaded
(«XLSX export: queued → downloaded» is its whole time). Respondents (1 of 5) open a personal
questionnaire link and save a draft answer (a final answer would close the link).

Environment: NK_CA (the certificate to trust), LOAD_TOKENS (file of questionnaire tokens).
"""

import os
import random
import re
import time

from locust import HttpUser, between, events, task

SCHOOL = os.environ.get("LOAD_SCHOOL", "school-1")
USERNAME = os.environ.get("LOAD_USER", "curator")
PASSWORD = os.environ.get("LOAD_PASSWORD", "nastavnik-demo")
TOKENS = []
if os.environ.get("LOAD_TOKENS") and os.path.exists(os.environ["LOAD_TOKENS"]):
    TOKENS = [line.strip() for line in open(os.environ["LOAD_TOKENS"]) if line.strip()]  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _Secure(HttpUser):
    abstract = True

    def on_start(self):
        # REQUESTS_CA_BUNDLE or a proxy from the environment would override the trusted certificate.
        self.client.trust_env = False
        self.client.verify = os.environ.get("NK_CA", True)

    def _post_form(self, url, data, name):
        page = self.client.get(url, name=name + " (form)")
        token = CSRF.search(page.text)
        data = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        return self.client.post(url, data=data, headers={"Referer": self.host + url}, name=name)


class Staff(_Secure):
    weight = 4
    wait_time = between(1, 4)

    def on_start(self):
        super().on_start()
        self._post_form("/accounts/login/", {"username": USERNAME, "password": PASSWORD}, "login")
        base = f"/o/{SCHOOL}"
        people = self.client.get(f"{base}/people/", name="people list").text
        self.people = sorted(set(re.findall(rf"{base}/people/(\d+)/", people))) or ["1"]
        pairs = self.client.get(f"{base}/programme/pairs/", name="pairs").text
        self.pairs = sorted(set(re.findall(rf"{base}/programme/pairs/(\d+)/", pairs)))
        orders = self.client.get(f"{base}/orders/", name="orders").text
        self.orders = sorted(set(re.findall(rf"{base}/orders/(\d+)/", orders))) or ["1"]

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(4)
    def people_list(self):
        self.client.get(f"/o/{SCHOOL}/people/", name="people list")

    @task(3)
    def person_card(self):
        self.client.get(f"/o/{SCHOOL}/people/{random.choice(self.people)}/", name="person card")

    @task(2)
    def pairs(self):
        self.client.get(f"/o/{SCHOOL}/programme/pairs/", name="pairs")
        if self.pairs:
            self.client.get(f"/o/{SCHOOL}/programme/pairs/{random.choice(self.pairs)}/", name="pair card")

    @task(2)
    def roadmap(self):
        self.client.get(f"/o/{SCHOOL}/roadmap/", name="roadmap")

    @task(1)
    def order_preview(self):
        self.client.get(f"/o/{SCHOOL}/orders/{random.choice(self.orders)}/preview/", name="order preview")

    @task(1)
    def xlsx_export(self):
        started = time.monotonic()
        base = f"/o/{SCHOOL}"
        response = self.client.get(f"{base}/export/people/?format=xlsx", name="XLSX export: ask", allow_redirects=False)
        job = re.search(r"/exports/(\d+)/", response.headers.get("Location", ""))
        if response.status_code != 302 or not job:
            return  # counted as a failure by locust if it was one
        exception = None
        while True:
            progress = self.client.get(f"{base}/exports/{job.group(1)}/progress/", name="XLSX export: progress")
            if "/download/" in progress.text:
                break
            if "job-error" in progress.text or time.monotonic() - started > 120:
                exception = RuntimeError("the export failed or took over 2 minutes")
                break
            time.sleep(1)
        if exception is None:
            self.client.get(f"{base}/exports/{job.group(1)}/download/", name="XLSX export: download")
        events.request.fire(
            request_type="JOB",
            name="XLSX export: queued → downloaded",
            response_time=(time.monotonic() - started) * 1000,
            response_length=0,
            exception=exception,
            context={},
        )


class Respondent(_Secure):
    weight = 1
    wait_time = between(2, 6)

    @task
    def answer_by_link(self):
        if not TOKENS:
            return
        url = f"/q/{random.choice(TOKENS)}/"
        self._post_form(url, {"save_draft": "1"}, "questionnaire by link: save a draft")

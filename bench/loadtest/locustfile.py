"""Locust scenarios for `make loadtest` (bench/loadtest/run.sh picks the user classes per phase).

- CeilingUser: the bare fixed page (/_ceiling/), as fast as possible: the stack's ceiling.
- HomeUser: the anonymous home page, as fast as possible.
- AnonymousBrowser: home, news list and page, FAQ, kit, webinar, search, with think time.
- Member: signed-in members (sessions from seed.py): reserved area, topic pages, replies.

Seed data comes from the JSON file named by LOADTEST_SEED.
"""

import json
import os
import random
import secrets
import string

from locust import FastHttpUser, between, constant, task

SEED = json.loads(open(os.environ["LOADTEST_SEED"], encoding="utf-8").read())  # noqa: SIM115
PAGES = SEED["pages"]
TOPICS = SEED["topics"]
SESSIONS = list(SEED["sessions"])
# Share of member actions that post a reply (the discussions' rate limit is 5/min per member).
REPLY_SHARE = float(os.environ.get("LOADTEST_REPLY_SHARE", "0.05"))


class CeilingUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def ceiling(self):
        self.client.get("/_ceiling/", name="ceiling")


class HomeUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def home(self):
        self.client.get("/", name="home_anon")


class AnonymousBrowser(FastHttpUser):
    wait_time = between(0.5, 2)

    def visit(self, key):
        if key in PAGES:
            self.client.get(PAGES[key], name=f"anon_{key}")

    @task(4)
    def home(self):
        self.visit("home")

    @task(3)
    def news_index(self):
        self.visit("news_index")

    @task(3)
    def news(self):
        self.visit("news")

    @task(2)
    def faq(self):
        self.visit("faq")

    @task(2)
    def kit(self):
        self.visit("kit")

    @task(2)
    def webinar(self):
        self.visit("webinar")

    @task(1)
    def search(self):
        self.visit("search")


class Member(FastHttpUser):
    """A signed-in member: one seeded session per simulated member."""

    wait_time = between(0.5, 2)
    fixed_count = int(os.environ.get("LOADTEST_MEMBERS", "20"))

    def on_start(self):
        session = SESSIONS.pop(0) if SESSIONS else random.choice(SEED["sessions"])
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.headers = {
            "Cookie": f"{SEED['session_cookie']}={session}; {SEED['csrf_cookie']}={self.csrf}",
        }

    @task(2)
    def reserved_area(self):
        if SEED.get("reserved_area"):
            self.client.get(SEED["reserved_area"], headers=self.headers, name="member_area")

    @task(1)
    def community(self):
        self.client.get(SEED["community"], headers=self.headers, name="member_community")

    @task(1)
    def home(self):
        self.client.get("/", headers=self.headers, name="member_home")

    @task(6)
    def topic(self):
        if not TOPICS:
            return
        topic = random.choice(TOPICS)
        self.client.get(topic["url"], headers=self.headers, name="topic")
        if random.random() < REPLY_SHARE:
            self.reply(topic)

    def reply(self, topic):
        with self.client.post(
            topic["reply"],
            data={
                "text": "Grazie, utile anche per il nostro Comune. " + secrets.token_hex(4),
                "csrfmiddlewaretoken": self.csrf,
            },
            headers={**self.headers, "X-CSRFToken": self.csrf, "Referer": topic["url"]},
            name="reply_post",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (302, 303):
                response.success()
            else:
                response.failure(f"reply: HTTP {response.status_code}")

"""The write workload over HTTP: an ATS provisions one role and its candidates while
the panel's interviewers score them all, from ``CLIENTS`` threads, with the trivial
endpoint hit from as many threads again for as long as it runs (its throughput and
latency under the same load); and the trivial endpoint alone, for comparison."""

import json
import queue
import random
import threading
import time
from collections import defaultdict

from tests.bench.config import CLIENTS
from tests.bench.load import call, summary


class Workload:
    def __init__(self, port: int, *, ats: dict, interviewers: list[tuple[str, dict]], lead: str):
        self.port = port
        self.ats = ats  # the integration key's headers
        self.interviewers = interviewers  # (email, headers)
        self.lead = lead
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.lock = threading.Lock()
        self.tasks: queue.Queue = queue.Queue()
        self.errors: list[str] = []

    def send(self, kind, method, path, headers, body=None, expect=(200, 201)):
        status, seconds, content = call(self.port, method, path, headers, body)
        if status not in expect:
            raise RuntimeError(f"{method} {path} answered {status}: {content[:300]!r}")
        with self.lock:
            self.latencies[kind].append(seconds)
        return content

    def run(self, *, candidates: int, skills: list[str]) -> dict:
        role = json.loads(
            self.send(
                "create role",
                "POST",
                "/api/v1/roles/",
                self.ats,
                {"title": "Bench role", "profile": "ai-engineer", "hiring_lead": self.lead},
            )
        )
        self.role_id = role["id"]
        self.skills = skills
        for n in range(candidates):
            self.tasks.put(("provision", n))
        pending = [candidates * (1 + len(self.interviewers))]
        started = time.perf_counter()

        def client():
            while True:
                with self.lock:
                    if pending[0] == 0 or self.errors:
                        return
                try:
                    task = self.tasks.get(timeout=0.05)
                except queue.Empty:
                    continue
                try:
                    self.do(task)
                except Exception as error:  # noqa: BLE001 - reported, stops the run
                    self.errors.append(str(error))
                    return
                with self.lock:
                    pending[0] -= 1

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        with TrivialBeside(self.port, self.ats) as beside:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        if self.errors or beside.errors:
            raise SystemExit(f"write workload failed: {(self.errors + beside.errors)[0]}")
        requests = sum(len(v) for k, v in self.latencies.items() if k != "create role")
        return {
            "role_id": self.role_id,
            "requests": requests,
            "seconds": elapsed,
            "rps": requests / elapsed,
            "kinds": {kind: summary(v) for kind, v in self.latencies.items()},
            "trivial": {**summary(beside.latencies), "rps": len(beside.latencies) / elapsed},
            "finished_at": time.time(),
        }

    def do(self, task):
        if task[0] == "provision":
            n = task[1]
            candidate = json.loads(
                self.send(
                    "create candidate",
                    "POST",
                    "/api/v1/candidates/",
                    self.ats,
                    {"name": f"Bench Candidate {n:04d}", "email": f"bench{n}@candidates.example"},
                )
            )
            application = json.loads(
                self.send(
                    "create application",
                    "POST",
                    "/api/v1/applications/",
                    self.ats,
                    {"role": self.role_id, "candidate": candidate["id"]},
                )
            )
            interview = json.loads(
                self.send(
                    "create interview",
                    "POST",
                    "/api/v1/interviews/",
                    self.ats,
                    {
                        "application": application["id"],
                        "name": "Technical interview",
                        "interviewers": [email for email, _ in self.interviewers],
                    },
                )
            )
            for index in range(len(self.interviewers)):
                self.tasks.put(("score", interview["id"], index))
        else:
            self.score(task[1], self.interviewers[task[2]][1], random.Random(task[1] * 7 + task[2]))

    def score(self, interview_id: int, headers: dict, rng: random.Random):
        listed = json.loads(
            self.send(
                "list my scorecards",
                "GET",
                f"/api/v1/scorecards/?interview={interview_id}",
                headers,
            )
        )
        [card] = listed["results"]
        path = f"/api/v1/scorecards/{card['id']}/"
        ratings = [
            {"skill": key, "score": rng.randint(1, 4), "note": "Saw it in the design exercise."}
            for key in self.skills
        ]
        half = len(ratings) // 2
        self.send("PATCH draft", "PATCH", path, headers, {"ratings": ratings[:half]})
        self.send(
            "PATCH draft",
            "PATCH",
            path,
            headers,
            {"ratings": ratings[half:], "overall_recommendation": rng.choice(["yes", "no"])},
        )
        self.send("submit", "POST", path + "submit/", headers, {})


class TrivialBeside:
    """``GET /api/v1/me/`` from ``CLIENTS`` more threads for as long as the block runs:
    the trivial endpoint under the same load, as a person browsing beside the writes
    would meet it (the same server, workers and database)."""

    def __init__(self, port: int, headers: dict):
        self.port, self.headers = port, headers
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.done = threading.Event()
        self.threads = [threading.Thread(target=self.client) for _ in range(CLIENTS)]

    def client(self):
        while not self.done.is_set():
            status, seconds, _ = call(self.port, "GET", "/api/v1/me/", self.headers)
            if status != 200:
                self.errors.append(f"/api/v1/me/ answered {status} beside the workload")
                return
            self.latencies.append(seconds)  # list.append is atomic

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        for thread in self.threads:
            thread.join()


def trivial(port: int, headers: dict, *, requests: int) -> dict:
    """GET /api/v1/me/ from ``CLIENTS`` threads: req/s and latency."""
    latencies, lock = [], threading.Lock()
    per_client = max(1, requests // CLIENTS)

    def client():
        for _ in range(per_client):
            status, seconds, _ = call(port, "GET", "/api/v1/me/", headers)
            if status != 200:
                raise SystemExit(f"/api/v1/me/ answered {status}")
            with lock:
                latencies.append(seconds)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {**summary(latencies), "rps": len(latencies) / elapsed}

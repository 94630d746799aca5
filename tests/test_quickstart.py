"""The README's quick start, followed literally on a fresh clone.

The test clones this repository (its committed HEAD) into a temporary directory and runs
the quick start's own "another port" command there, on a free port, with none of the
service's settings in the environment (as on a newcomer's machine). Once it serves, a
demo user logs in through Chromium and every address the quick start names answers; then
the server and its webhook worker are stopped. Installing into the clone's fresh .venv
takes most of the time (about three minutes on this shared two-core machine).

It reads the command, the addresses and the demo login from the README and from what
`make run` prints, so it keeps following them as they change. It passes a SECRET_KEY
(which DEBUG ignores) so that it still holds if `make run` ever serves with DEBUG off.
"""

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.quickstart]

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
QUICK_START = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
CONFIGURATION = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
STARTUP_TIMEOUT = 600  # seconds: a cold pip install on a busy machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def newcomers_environment() -> dict[str, str]:
    """This machine's environment without the service's settings (every variable of the
    README's configuration table), the test run's own, or an outer make's."""
    settings = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", CONFIGURATION))
    ours = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "VIRTUAL_ENV", "PYTHONPATH"}
    make = {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"}
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in settings | ours | make and not name.startswith("PYTEST")
    }
    environment["SECRET_KEY"] = secrets.token_urlsafe(40)
    return environment


def quick_start_command(port: int) -> str:
    """The quick start's line for serving on another port, with this port."""
    [line] = [line for line in QUICK_START.splitlines() if re.match(r"PORT=\d+ make run", line)]
    command = line.split("#", 1)[0].strip()
    return re.sub(r"PORT=\d+", f"PORT={port}", command)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except urllib.error.HTTPError:
        return True  # it serves, even if not this page
    except OSError:
        return False


def wait_until_served(process, log: Path, base: str) -> str:
    """Wait for the server; the output printed so far."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        output = log.read_text(errors="replace")
        if process.poll() is not None:
            pytest.fail(f"make run stopped ({process.returncode}):\n{output[-4000:]}")
        if f"Serving {base}/" in output and answers(f"{base}/accounts/login/"):
            return output
        time.sleep(1)
    pytest.fail(f"make run did not serve within {STARTUP_TIMEOUT} s:\n{output[-4000:]}")


def stop(process) -> None:
    """Stop make and everything it started (its session: gunicorn, the worker)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    # Anything of its session still alive (a worker that ignored SIGTERM) goes too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def served(tmp_path):
    """The quick start run on a fresh clone: (base URL, what make run printed)."""
    clone = tmp_path / "scorecards"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "make-run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["sh", "-c", quick_start_command(port)],
            cwd=clone,
            env=newcomers_environment(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield base, wait_until_served(process, log, base)
    finally:
        stop(process)
    assert not answers(f"{base}/accounts/login/"), "the server is still running"


def test_the_readme_quick_start_serves_a_fresh_clone(served, page):
    base, printed = served
    # The demo logins it printed, and the people the quick start says to log in as.
    password = re.search(r"password for all: (\S+?)\)", printed).group(1)
    people = re.findall(r"log in as `([^`]+)`", QUICK_START)
    assert people and all(person in printed for person in people)

    # Every address the quick start names answers on the chosen port.
    paths = re.findall(r"http://127\.0\.0\.1:8000(/\S*) —", QUICK_START)
    assert paths == ["/", "/admin/", "/api/docs/"]
    for path in paths:
        assert page.goto(base + path).ok, path

    # A demo interviewer logs in through the real login page.
    page.goto(base + "/")
    page.get_by_label("Email").fill(people[0])
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    icon = page.request.get(base + "/favicon.ico")
    assert icon.ok and icon.headers["content-type"].startswith("image/")

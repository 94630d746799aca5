"""Feedback reminders and the scorecard.overdue event: the schedule (an hour after the
interview, then daily, until submitted or FEEDBACK_REMINDER_DAYS have passed) with time
frozen, mail through a real SMTP server on 127.0.0.1, the event once through a real
receiver, no duplicates from two concurrent runs on PostgreSQL, the command, the
background worker's job and the email settings."""

import datetime as dt
import io
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from hiring import background, services
from hiring.models import FeedbackReminder, Scorecard, WebhookEndpoint, WebhookEvent
from hiring.services.reminders import reminder_number
from hiring.webhooks import worker
from scorecards.settings import email_settings
from tests import factories
from tests.mailserver import MailServer
from tests.receiver import Receiver
from tests.test_settings import assert_refused, load_settings

START = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
END = START + dt.timedelta(minutes=45)
FIRST = END + dt.timedelta(hours=1)
DUE = END + dt.timedelta(hours=24)
DAY = dt.timedelta(days=1)
TICK = dt.timedelta(microseconds=1)


def schedule(interview, at=START, minutes=45):
    interview.scheduled_at = at
    interview.duration_minutes = minutes
    return services.interview_save(interview=interview)


@pytest.fixture
def scheduled(interview):
    """Alice and Bob's interview, 10:00-10:45 on 23 November 2026."""
    return schedule(interview)


def run_at(moment) -> services.ReminderRun:
    with time_machine.travel(moment, tick=False):
        return services.feedback_reminders_send()


def reminded_at(moment) -> list[str]:
    """Who was emailed by a run at ``moment``."""
    before = len(mail.outbox)
    run_at(moment)
    return sorted(to for message in mail.outbox[before:] for to in message.to)


# ---------------------------------------------------------------------------
# The schedule
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "after_end, number",
    [
        (dt.timedelta(hours=1) - TICK, None),
        (dt.timedelta(hours=1), 0),
        (DAY + dt.timedelta(hours=1) - TICK, 0),
        (DAY + dt.timedelta(hours=1), 1),
        (9 * DAY + dt.timedelta(hours=1), 9),
        (10 * DAY - TICK, 9),
        (10 * DAY + dt.timedelta(hours=1), None),
        (-DAY, None),
    ],
)
def test_the_reminder_due_at_each_moment(after_end, number):
    assert reminder_number(ends_at=END, now=END + after_end) == number


def test_it_reminds_an_hour_after_the_interview_then_daily_until_submitted(scheduled, alice, bob):
    both = ["alice@example.com", "bob@example.com"]
    assert reminded_at(FIRST - TICK) == []
    assert reminded_at(FIRST) == both
    assert reminded_at(FIRST + dt.timedelta(minutes=5)) == []  # the next run: nothing new
    assert reminded_at(FIRST + DAY - TICK) == []
    assert reminded_at(FIRST + DAY) == both
    factories.submit(Scorecard.objects.get(interview=scheduled, interviewer=bob))
    assert reminded_at(FIRST + 2 * DAY) == ["alice@example.com"]
    numbers = FeedbackReminder.objects.filter(scorecard__interviewer=alice)
    assert list(numbers.values_list("number", flat=True)) == [0, 1, 2]


def test_reminders_stop_when_the_window_has_passed(scheduled, alice, bob, settings):
    settings.FEEDBACK_REMINDER_DAYS = 3
    assert len(reminded_at(FIRST)) == 2
    # Nothing ran for a while: the reminders missed are not made up, the due one is sent.
    assert len(reminded_at(FIRST + 2 * DAY)) == 2
    last = mail.outbox[-1].body
    assert "This is the last reminder for this interview." in last
    assert reminded_at(END + 3 * DAY - TICK) == []
    assert reminded_at(FIRST + 3 * DAY) == []
    assert FeedbackReminder.objects.count() == 4


def test_no_reminders_when_the_window_is_zero_or_the_interview_unscheduled(interview, settings):
    assert reminded_at(FIRST) == []  # not scheduled: no end, no reminder
    schedule(interview)
    settings.FEEDBACK_REMINDER_DAYS = 0
    assert reminded_at(FIRST) == []


def test_someone_who_has_left_is_not_reminded(scheduled, bob):
    bob.is_active = False
    bob.save()
    assert reminded_at(FIRST) == ["alice@example.com"]


# ---------------------------------------------------------------------------
# Through a real SMTP server
# ---------------------------------------------------------------------------


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, configured as EMAIL_URL would configure it."""
    with MailServer() as server:
        for name, value in email_settings(server.url).items():
            setattr(settings, name, value)
        yield server


def test_the_reminder_goes_through_smtp_and_says_what_and_where(
    scheduled, alice, bob, smtp, settings
):
    settings.SITE_URL = "https://scorecards.example.com/"
    settings.DEFAULT_FROM_EMAIL = "feedback@example.com"
    card = Scorecard.objects.get(interview=scheduled, interviewer=alice)
    candidate = scheduled.application.candidate.name

    run = run_at(FIRST)

    assert smtp.recipients() == ["alice@example.com", "bob@example.com"]
    assert run.failed == [] and len(run.reminded) == 2
    message = next(m for m in smtp.messages if m["To"] == "alice@example.com")
    assert message["From"] == "feedback@example.com"
    assert message["Subject"] == f"Reminder: your scorecard for {candidate} (Technical interview)"
    body = message.get_content()
    assert "Hello Alice Adams," in body
    assert f"Your scorecard for {candidate} (AI Engineer) is still a draft." in body
    assert "Interview: Technical interview, Monday 23 November 2026, 10:00 UTC" in body
    assert "Feedback is due: Tuesday 24 November 2026, 10:45 UTC" in body
    assert f"https://scorecards.example.com/scorecards/{card.pk}/" in body
    assert "once a day until you submit" in body


def test_an_overdue_reminder_says_so(scheduled, alice, bob, smtp):
    run_at(FIRST + DAY)
    message = next(m for m in smtp.messages if m["To"] == "alice@example.com")
    assert message["Subject"].startswith("Overdue: your scorecard for ")
    assert "Feedback was due: Tuesday 24 November 2026, 10:45 UTC (overdue)" in (
        message.get_content()
    )


def test_a_reminder_the_mail_server_refused_is_sent_by_the_next_run(
    scheduled, alice, bob, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", MailServer().port  # nobody listens
    run = run_at(FIRST)
    assert run.reminded == [] and len(run.failed) == 2
    assert not FeedbackReminder.objects.exists()
    with MailServer() as server:
        settings.EMAIL_PORT = server.port
        run = run_at(FIRST + dt.timedelta(minutes=5))
    assert len(run.reminded) == 2
    assert server.recipients() == ["alice@example.com", "bob@example.com"]
    assert FeedbackReminder.objects.count() == 2


# ---------------------------------------------------------------------------
# scorecard.overdue, once, through a real receiver
# ---------------------------------------------------------------------------


def test_scorecard_overdue_is_emitted_once_when_a_draft_passes_its_due_date(scheduled, alice, bob):
    factories.submit(Scorecard.objects.get(interview=scheduled, interviewer=bob))
    alice_card = Scorecard.objects.get(interview=scheduled, interviewer=alice)
    with Receiver() as receiver:
        WebhookEndpoint.objects.create(
            url=receiver.url, secret="whsec-test-0123456789", events=["scorecard.overdue"]
        )
        assert run_at(DUE).overdue == []  # at the due moment itself: not yet
        assert run_at(DUE + TICK).overdue == [alice_card.pk]
        assert run_at(DUE + DAY).overdue == []  # never twice
        assert worker.deliver_due(timeout=5) == 1
    [request] = receiver.requests
    assert request.headers["Scorecards-Event-Type"] == "scorecard.overdue"
    envelope = WebhookEvent.objects.get(type="scorecard.overdue")
    assert request.headers["Scorecards-Event-Id"] == str(envelope.id)
    data = envelope.payload
    assert data["id"] == alice_card.pk
    assert data["interviewer"] == "alice@example.com"
    assert (data["status"], data["overdue"], data["due_at"]) == (
        "draft",
        True,
        "2026-11-24T10:45:00Z",
    )
    alice_card.refresh_from_db()
    assert alice_card.overdue_notified_at == DUE + TICK


def test_a_scorecard_submitted_in_time_is_never_announced(scheduled, alice, bob):
    for card in Scorecard.objects.filter(interview=scheduled).select_related("interviewer"):
        factories.submit(card)
    assert run_at(DUE + DAY).overdue == []
    assert not WebhookEvent.objects.filter(type="scorecard.overdue").exists()


# ---------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------


def test_a_run_takes_the_same_number_of_queries_for_one_scorecard_as_for_many(
    role, django_assert_num_queries
):
    WebhookEndpoint.objects.create(
        url="https://ats.example.com/hooks",
        secret="whsec-test-0123456789",
        events=["scorecard.overdue"],
    )
    for size in (1, 8):
        FeedbackReminder.objects.all().delete()
        Scorecard.objects.update(overdue_notified_at=None)
        while Scorecard.objects.count() < size:
            interview = factories.make_interview(
                application=factories.ApplicationFactory(role=role),
                interviewers=[factories.UserFactory()],
            )
            schedule(interview)
        # Overdue: savepoint, drafts, their ratings, stamp, events, endpoints, deliveries,
        # release. Reminders: drafts due, record, read back.
        with django_assert_num_queries(11), time_machine.travel(FIRST + DAY, tick=False):
            run = services.feedback_reminders_send()
        assert len(run.reminded) == len(run.overdue) == size
        assert len(mail.outbox) == size
        mail.outbox.clear()


# ---------------------------------------------------------------------------
# The command and the background worker
# ---------------------------------------------------------------------------


def test_the_command_sends_what_is_due_and_says_so(scheduled, alice, bob):
    out = io.StringIO()
    with time_machine.travel(FIRST + DAY, tick=False):
        call_command("send_feedback_reminders", stdout=out)
        call_command("send_feedback_reminders", stdout=out)
    assert out.getvalue().splitlines() == [
        "Sent 2 reminders; 2 scorecards newly overdue.",
        "Sent 0 reminders; 0 scorecards newly overdue.",
    ]
    assert len(mail.outbox) == 2


def test_the_background_worker_runs_the_reminders_every_few_minutes(scheduled, alice, bob):
    [job] = [job for job in background.JOBS if job.name == "feedback_reminders"]
    assert job.every <= dt.timedelta(minutes=10)
    out = io.StringIO()
    with time_machine.travel(FIRST, tick=False):
        call_command("run_worker", "--once", stdout=out)
    assert out.getvalue().startswith(f"Ran {len(background.JOBS)} jobs;")
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]


# ---------------------------------------------------------------------------
# Two runs at once on PostgreSQL: nothing twice
# ---------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_reminder_and_event_once(role, settings):
    panel = [factories.UserFactory() for _ in range(3)]
    for _ in range(8):
        interview = factories.make_interview(
            application=factories.ApplicationFactory(role=role), interviewers=panel
        )
        schedule(interview)
    cards = sorted(Scorecard.objects.values_list("pk", flat=True))

    def race(moment) -> list[services.ReminderRun]:
        """Two runs at ``moment``, started together in their own threads and connections."""
        barrier, runs, errors = threading.Barrier(2), [], []

        def run():
            try:
                barrier.wait()
                runs.append(services.feedback_reminders_send(now=moment))
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == [] and len(runs) == 2
        return runs

    with MailServer() as server:
        for name, value in email_settings(server.url).items():
            setattr(settings, name, value)
        # Reminder 0 (not yet overdue), then reminder 1 once every draft is overdue, then 2.
        for number, moment in enumerate([FIRST, FIRST + DAY, FIRST + 2 * DAY]):
            before = len(server.messages)
            runs = race(moment)
            assert sorted(pk for run in runs for pk in run.reminded) == cards
            assert len(server.messages) - before == len(cards)
            assert FeedbackReminder.objects.filter(number=number).count() == len(cards)
            overdue = sorted(pk for run in runs for pk in run.overdue)
            assert overdue == ([] if number == 0 else cards if number == 1 else [])
    assert WebhookEvent.objects.filter(type="scorecard.overdue").count() == len(cards)


# ---------------------------------------------------------------------------
# Settings: EMAIL_URL, DEFAULT_FROM_EMAIL, FEEDBACK_REMINDER_DAYS
# ---------------------------------------------------------------------------

EMAIL = "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS"


def test_mail_goes_to_the_console_unless_email_url_is_set():
    result = load_settings("s.EMAIL_BACKEND, s.DEFAULT_FROM_EMAIL, s.FEEDBACK_REMINDER_DAYS")
    assert result.stdout.strip() == (
        "('django.core.mail.backends.console.EmailBackend', 'scorecards@localhost', 10)"
    )


def test_email_url_configures_smtp():
    result = load_settings(
        EMAIL + ", s.EMAIL_HOST_PASSWORD, s.DEFAULT_FROM_EMAIL",
        EMAIL_URL="smtp://mailer:p%40ss@mail.example.com:587?tls=true",
        DEFAULT_FROM_EMAIL="feedback@example.com",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "('django.core.mail.backends.smtp.EmailBackend', 'mail.example.com', 587, 'mailer', "
        "True, 'p@ss', 'feedback@example.com')"
    )


def test_an_email_url_that_cannot_be_read_stops_the_service():
    result = load_settings("s.EMAIL_BACKEND", EMAIL_URL="smpt://mail.example.com")
    assert result.returncode != 0
    assert "EMAIL_URL must use one of the schemes" in result.stderr
    assert "'smpt'" in result.stderr
    result = load_settings("s.EMAIL_BACKEND", EMAIL_URL="smtp://mail.example.com:port")
    assert "EMAIL_URL cannot be read" in result.stderr


def test_a_negative_reminder_window_is_refused():
    assert_refused(
        load_settings("s.FEEDBACK_REMINDER_DAYS", FEEDBACK_REMINDER_DAYS="-1"),
        "FEEDBACK_REMINDER_DAYS",
        "-1",
    )

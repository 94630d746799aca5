"""Feedback reminders and the ``scorecard.overdue`` event: the periodic job's writes
(``manage.py send_feedback_reminders``, and the background worker every few minutes).

**Reminders.** An interviewer whose scorecard is still a draft gets reminder 0 an hour
after the interview ends and reminder n a day after reminder n - 1, for as long as the
reminder falls within ``FEEDBACK_REMINDER_DAYS`` of the interview's end. The schedule is
fixed from the interview's end, so every run and every machine agrees on which reminder
is due; one that falls due while nothing runs is not made up later (the next one is sent
on its day). Submitting stops them.

**Once, from any number of runs.** A run first *inserts* the reminders it found due,
each tagged with the run's id, and skips any that already exist (the unique
(scorecard, number) constraint decides, in the database; on PostgreSQL a concurrent
insert of the same pair waits for the first and then inserts nothing). It then sends
only those its own insert created. A mail that fails is un-recorded, so the next run
tries it again; a run that dies between the insert and the mail loses that reminder
rather than sending it twice.

**Overdue.** A draft past its due date is announced once with ``scorecard.overdue``:
the run locks the drafts not yet announced (skipping any another run or an interviewer
holds), stamps ``overdue_notified_at`` and writes the events, in one transaction.
"""

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hiring import selectors
from hiring.models import FeedbackReminder, Scorecard, ScorecardStatus
from hiring.webhooks import outbox, payloads

logger = logging.getLogger(__name__)

FIRST_REMINDER_AFTER = timedelta(hours=1)
REMINDER_INTERVAL = timedelta(days=1)
# What a mail server that refuses, drops or never answers raises.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class ReminderRun:
    reminded: list[int]  # scorecards whose interviewer was emailed
    failed: list[int]  # scorecards whose reminder could not be sent (tried again next run)
    overdue: list[int]  # scorecards announced as overdue


def reminder_window() -> timedelta:
    """How long after an interview ends its interviewers are reminded."""
    return timedelta(days=settings.FEEDBACK_REMINDER_DAYS)


def reminder_number(*, ends_at: datetime, now: datetime) -> int | None:
    """The reminder due at ``now`` for an interview that ended at ``ends_at``: None before
    the first (an hour after the end) and once the reminders' window has passed."""
    since_first = now - ends_at - FIRST_REMINDER_AFTER
    if since_first < timedelta(0):
        return None
    number = since_first // REMINDER_INTERVAL
    sent_at = ends_at + FIRST_REMINDER_AFTER + number * REMINDER_INTERVAL
    return number if sent_at < ends_at + reminder_window() else None


def feedback_reminders_send(*, now: datetime | None = None) -> ReminderRun:
    """Announce the drafts that became overdue, then email every interviewer whose
    reminder is due. Safe to run at any time, as often as asked, from several machines."""
    now = now or timezone.now()
    overdue = scorecards_notify_overdue(now=now)
    reminders = _due_reminders(now)
    run = uuid.uuid4()
    claimed = _claim(reminders, run=run, now=now)
    sent = _send(claimed)
    failed = [card.pk for card, _ in claimed if card.pk not in sent]
    if failed:
        # Un-record them, so that the next run tries again.
        FeedbackReminder.objects.filter(run=run, scorecard_id__in=failed).delete()
    return ReminderRun(reminded=sorted(sent), failed=failed, overdue=overdue)


@transaction.atomic
def scorecards_notify_overdue(*, now: datetime | None = None) -> list[int]:
    """Emit ``scorecard.overdue`` for every draft past its due date that has not been
    announced; returns their ids. Each is announced once, whichever run gets there first."""
    now = now or timezone.now()
    cards = list(
        selectors.scorecards_with_content(
            Scorecard.objects.overdue(now)
            .filter(overdue_notified_at__isnull=True)
            .select_for_update(of=("self",), skip_locked=True)
        ).order_by("pk")
    )
    if not cards:
        return []
    Scorecard.objects.filter(pk__in=[card.pk for card in cards]).update(overdue_notified_at=now)
    outbox.emit_many("scorecard.overdue", [payloads.scorecard_payload(card) for card in cards])
    return [card.pk for card in cards]


def _due_reminders(now: datetime) -> list[tuple[Scorecard, int]]:
    """Drafts whose reminder is due and not yet recorded, with its number (one query)."""
    last_number = FeedbackReminder.objects.filter(scorecard=OuterRef("pk")).order_by("-number")
    cards = (
        Scorecard.objects.with_due_dates(now)
        .filter(
            status=ScorecardStatus.DRAFT,
            interviewer__is_active=True,
            interview_ends_at__lte=now - FIRST_REMINDER_AFTER,
            interview_ends_at__gt=now - reminder_window(),
        )
        .annotate(last_reminder=Subquery(last_number.values("number")[:1]))
        .select_related(
            "interviewer", "interview__application__candidate", "interview__application__role"
        )
        .order_by("pk")
    )
    due = []
    for card in cards:
        number = reminder_number(ends_at=card.interview_ends_at, now=now)
        if number is not None and (card.last_reminder is None or card.last_reminder < number):
            due.append((card, number))
    return due


def _claim(
    reminders: list[tuple[Scorecard, int]], *, run: uuid.UUID, now: datetime
) -> list[tuple[Scorecard, int]]:
    """Record the reminders, skipping those some run already recorded; returns the ones
    this run recorded, which are its to send (two queries)."""
    if not reminders:
        return []
    FeedbackReminder.objects.bulk_create(
        [
            FeedbackReminder(scorecard=card, number=number, sent_at=now, run=run)
            for card, number in reminders
        ],
        ignore_conflicts=True,
    )
    ours = set(FeedbackReminder.objects.filter(run=run).values_list("scorecard_id", flat=True))
    return [(card, number) for card, number in reminders if card.pk in ours]


def _send(reminders: list[tuple[Scorecard, int]]) -> set[int]:
    """Email each reminder over one connection; returns the scorecards whose mail went."""
    sent: set[int] = set()
    if not reminders:
        return sent
    try:
        with mail.get_connection() as connection:
            for card, number in reminders:
                try:
                    reminder_message(card, number=number, connection=connection).send()
                except MAIL_ERRORS:
                    logger.exception("Could not send reminder %s for scorecard %s", number, card.pk)
                else:
                    sent.add(card.pk)
    except MAIL_ERRORS:
        logger.exception("Could not reach the mail server to send %d reminders", len(reminders))
    return sent


def reminder_message(card: Scorecard, *, number: int, connection=None) -> mail.EmailMessage:
    """The reminder mail: which candidate, which interview, when it is due, and the link."""
    application = card.interview.application
    context = {
        "person": card.interviewer.get_full_name() or card.interviewer.email,
        "candidate": application.candidate.name,
        "role": application.role.title,
        "interview": card.interview.name,
        "scheduled_at": card.interview.scheduled_at,
        "due_at": card.due_at,
        "overdue": card.overdue,
        "url": settings.SITE_URL.rstrip("/") + reverse("hiring:scorecard", args=[card.pk]),
        # The next one would fall outside the window.
        "last": FIRST_REMINDER_AFTER + (number + 1) * REMINDER_INTERVAL >= reminder_window(),
    }
    subject = render_to_string("hiring/email/feedback_reminder_subject.txt", context)
    return mail.EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string("hiring/email/feedback_reminder.txt", context),
        to=[card.interviewer.email],
        connection=connection,
    )

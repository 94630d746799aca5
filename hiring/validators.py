"""Field rules, as validator classes set on model fields.

Set on the field, a rule reaches every form, ``ModelSerializer`` and the OpenAPI
schema (a ``RegexValidator`` becomes the field's ``pattern``); fields declared by
hand in the API use the same classes. Each rule and its message live here once.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils.deconstruct import deconstructible

from hiring.webhooks import addresses
from hiring.webhooks.events import EVENT_TYPES

# Regex classes are spelled out: "\s" means different things to Python (which trims
# text with str.strip) and to the JavaScript-style regexes of OpenAPI clients.
WHITESPACE = "".join(f"\\u{code:04x}" for code in range(0x3001) if chr(code).isspace())

# External ids travel in URLs (PUT .../by-external-id/{external_id}/), so: no slash,
# no control characters, no surrounding spaces, at most 120 characters.
_EDGE = r"[^\x00-\x20\x7f-\xa0/" + WHITESPACE + "]"
_MIDDLE = r"[^\x00-\x1f\x7f-\x9f/]"
EXTERNAL_ID_PATTERN = rf"^{_EDGE}({_MIDDLE}{{0,118}}{_EDGE})?$"


class TextRule(RegexValidator):
    """A rule on text exactly as it is given.

    Surrounding spaces are part of what such a rule judges, so no entry point trims
    the text before the rule sees it: the API's fields do not trim it, and the
    admin's forms (``hiring.admin.base.FieldRulesForm``) apply the rule to what was
    typed, so that both refuse the same text with the same single message.
    """


@deconstructible
class WrittenTextValidator(TextRule):
    """Text that says something: not empty, not only spaces. Each field names what is
    missing in its own message (``WrittenTextValidator(message="Write the question.")``)."""

    regex = rf"[^{WHITESPACE}]"
    message = "Write something here."
    code = "blank_text"


@deconstructible
class ExternalIdValidator(TextRule):
    """The ATS's id for an object: one that ``PUT …/by-external-id/{id}/`` can reach."""

    regex = EXTERNAL_ID_PATTERN
    message = (
        "Use 1 to 120 characters: no '/', no control characters, no leading or trailing spaces."
    )
    code = "invalid_external_id"


# An ATS's own stage name ("Phone screen", "Onsite loop"): 1 to 120 characters, no control
# characters, no leading or trailing spaces ("/" is fine: it never travels in a URL).
_STAGE_EDGE = r"[^\x00-\x20\x7f-\xa0" + WHITESPACE + "]"
STAGE_PATTERN = rf"^{_STAGE_EDGE}([^\x00-\x1f\x7f-\x9f]{{0,118}}{_STAGE_EDGE})?$"
MAX_STAGE_LENGTH = 120


@deconstructible
class StageNameValidator(TextRule):
    """An application's stage: the ATS's own name for it, as given."""

    regex = STAGE_PATTERN
    message = "Use 1 to 120 characters: no control characters, no leading or trailing spaces."
    code = "invalid_stage"


# Receivers are addressed by an http(s) URL whose host is a domain name (any number of
# labels; internationalised names are checked in their IDNA form, xn--…), an IPv4
# address in dotted decimal, an IPv6 address in brackets, or localhost; the port is
# 1-65535. The pattern is published in the API schema; a subset of Django's URLValidator.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
_H16 = r"[0-9A-Fa-f]{1,4}"
_LS32 = rf"(?:{_H16}:{_H16}|{_IPV4})"
# RFC 3986's IPv6address, alternative by alternative.
_IPV6 = "|".join(
    [
        rf"(?:{_H16}:){{6}}{_LS32}",
        rf"::(?:{_H16}:){{5}}{_LS32}",
        rf"(?:{_H16})?::(?:{_H16}:){{4}}{_LS32}",
        rf"(?:(?:{_H16}:){{0,1}}{_H16})?::(?:{_H16}:){{3}}{_LS32}",
        rf"(?:(?:{_H16}:){{0,2}}{_H16})?::(?:{_H16}:){{2}}{_LS32}",
        rf"(?:(?:{_H16}:){{0,3}}{_H16})?::{_H16}:{_LS32}",
        rf"(?:(?:{_H16}:){{0,4}}{_H16})?::{_LS32}",
        rf"(?:(?:{_H16}:){{0,5}}{_H16})?::{_H16}",
        rf"(?:(?:{_H16}:){{0,6}}{_H16})?::",
    ]
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TLD = r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9]{1,59})"
_PORT = r"(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
WEBHOOK_URL_PATTERN = (
    rf"^https?://(?:localhost|{_IPV4}|\[(?:{_IPV6})\]|(?:{_LABEL}\.)+{_TLD})"
    rf"(?::{_PORT})?(?:/[!-~]*)?$"
)
# The host of an http(s) URL, however it is spelled, and what follows it.
_URL_PARTS = re.compile(r"^(https?://)(\[[^\]/]*\]|[^:/?#\[\]]*)(.*)$", re.S)


@deconstructible
class WebhookUrlValidator(TextRule):
    """Where a receiver listens (its length is the field's ``max_length``), and only on
    the public internet unless ``WEBHOOK_ALLOW_PRIVATE_NETWORKS`` is on (the rule of
    ``hiring.webhooks.addresses``, applied again at every delivery)."""

    regex = WEBHOOK_URL_PATTERN
    message = (
        "Give an http:// or https:// URL with a domain name, an IPv4 address, "
        "an IPv6 address in brackets or localhost."
    )
    code = "invalid_webhook_url"

    def __call__(self, value):
        parts = _URL_PARTS.match(value) if isinstance(value, str) else None
        if parts is None:
            return super().__call__(value)  # not http(s): the one message
        scheme, host, rest = parts.groups()
        meant = addresses.numeric_spelling(host)
        if meant is not None:
            raise ValidationError(
                f"{host} means {meant}: write an IPv4 address as four decimal numbers.",
                code=self.code,
            )
        try:
            host = addresses.ascii_host(host)
        except UnicodeError:
            raise ValidationError(
                f"{host} is not a valid internationalised domain name.", code=self.code
            ) from None
        super().__call__(f"{scheme}{host}{rest}")
        refused = addresses.refusal(host.strip("[]"))
        if refused:
            raise ValidationError(
                f"Webhooks go to public addresses only: {refused}.", code="private_webhook_url"
            )


@deconstructible
class WebhookSecretValidator(TextRule):
    """Printable ASCII without spaces, long enough not to be guessed."""

    regex = r"^[!-~]{16,200}$"
    message = "Use 16 to 200 printable ASCII characters, without spaces."
    code = "invalid_webhook_secret"


@deconstructible
class WebhookEventsValidator:
    """A non-empty list of known event types."""

    code = "invalid_webhook_events"

    def __call__(self, value):
        if not isinstance(value, list) or not value:
            raise ValidationError("Subscribe to at least one event.", code=self.code)
        unknown = [str(event) for event in value if event not in EVENT_TYPES]
        if unknown:
            raise ValidationError(
                f"Choose from {', '.join(EVENT_TYPES)}; not {', '.join(unknown)}.",
                code=self.code,
            )

    def __eq__(self, other):
        return isinstance(other, WebhookEventsValidator)


# An interview lasts from a minute to a working day: a longer "interview" is a typo
# (minutes entered as seconds) or an on-site day, which is several interviews.
MAX_INTERVIEW_MINUTES = 8 * 60
INTERVIEW_MINUTES_MESSAGE = f"Give the length in minutes, from 1 to {MAX_INTERVIEW_MINUTES} (8 h)."


@deconstructible
class InterviewMinutesMinValidator(MinValueValidator):
    message = INTERVIEW_MINUTES_MESSAGE
    code = "invalid_interview_minutes"

    def __init__(self, limit_value=1, message=None):
        super().__init__(limit_value, message)


@deconstructible
class InterviewMinutesMaxValidator(MaxValueValidator):
    message = INTERVIEW_MINUTES_MESSAGE
    code = "invalid_interview_minutes"

    def __init__(self, limit_value=MAX_INTERVIEW_MINUTES, message=None):
        super().__init__(limit_value, message)


@deconstructible
class ScheduleYearsValidator:
    """A time in the years 1000 to 2999 once converted to UTC, as it is stored: an offset
    can move a time into the year before or after (1000-01-01T00:00+23:59 is in 999)."""

    message = "Use a time in the years 1000 to 2999 (in UTC)."
    # Not "invalid": a form field would show its own message for that code instead.
    code = "year_out_of_range"

    def __call__(self, value) -> None:
        try:
            year = value.astimezone(datetime.UTC).year
        except (OverflowError, ValueError):
            year = 0  # beyond the calendar once converted
        if not 1000 <= year <= 2999:
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, ScheduleYearsValidator)


MAX_REASON_LENGTH = 5000


@deconstructible
class NotBlankValidator:
    """Text that says something: not empty, not only spaces."""

    message = "Write something here: it cannot be blank."
    code = "blank"

    def __call__(self, value):
        if not str(value or "").strip():
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, NotBlankValidator)


# A role brief's interview plan: what each planned interview is, and how long it takes.
PLAN_STAGE_KEYS = ("key", "name", "duration_minutes", "focus_competencies")
MAX_PLAN_STAGES = 12
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")


def _plan_stage_problems(stage) -> list[str]:
    if not isinstance(stage, dict) or set(stage) != set(PLAN_STAGE_KEYS):
        return [f"give exactly {', '.join(PLAN_STAGE_KEYS)}"]
    problems = []
    if not isinstance(stage["key"], str) or not SLUG.match(stage["key"]):
        problems.append("the key is 1 to 60 letters, digits, hyphens or underscores")
    if not isinstance(stage["name"], str) or not 0 < len(stage["name"].strip()) <= 200:
        problems.append("the name is 1 to 200 characters")
    minutes = stage["duration_minutes"]
    whole = isinstance(minutes, int) and not isinstance(minutes, bool)
    if not whole or not 1 <= minutes <= MAX_INTERVIEW_MINUTES:
        problems.append(INTERVIEW_MINUTES_MESSAGE)
    focus = stage["focus_competencies"]
    if not isinstance(focus, list) or not focus:
        problems.append("name at least one focus competency")
    elif not all(isinstance(key, str) and SLUG.match(key) for key in focus):
        problems.append("focus competencies are competency keys")
    return problems


@deconstructible
class InterviewPlanValidator:
    """A list of 1 to 12 planned interviews, each ``{"key", "name", "duration_minutes",
    "focus_competencies"}`` with a unique key. Which competencies they must cover is the
    brief's rule (``RoleBrief.clean``): it depends on the role."""

    code = "invalid_interview_plan"

    def __call__(self, value):
        if not isinstance(value, list) or not 0 < len(value) <= MAX_PLAN_STAGES:
            raise ValidationError(
                f"Give a list of 1 to {MAX_PLAN_STAGES} interviews.", code=self.code
            )
        messages = [
            f"Interview {number}: {problem}."
            for number, stage in enumerate(value, start=1)
            for problem in _plan_stage_problems(stage)
        ]
        keys = [stage.get("key") for stage in value if isinstance(stage, dict)]
        repeated = sorted({str(key) for key in keys if keys.count(key) > 1})
        if repeated:
            messages.append(f"Each interview needs its own key; repeated: {', '.join(repeated)}.")
        if messages:
            raise ValidationError(messages, code=self.code)

    def __eq__(self, other):
        return isinstance(other, InterviewPlanValidator)


@deconstructible
class TextListValidator:
    """A list of up to 30 lines of text, each 1 to 500 characters."""

    code = "invalid_text_list"

    def __call__(self, value):
        if not isinstance(value, list) or len(value) > 30:
            raise ValidationError("Give a list of up to 30 lines of text.", code=self.code)
        if not all(isinstance(line, str) and 0 < len(line.strip()) <= 500 for line in value):
            raise ValidationError("Each line is 1 to 500 characters of text.", code=self.code)

    def __eq__(self, other):
        return isinstance(other, TextListValidator)

"""Login brute-force protection: the hooks django-axes calls (settings ``AXES_*``)
for both login forms, /accounts/login/ and /admin/login/.

Failures are counted per account and per address in the database (``LoginLockout``),
so every gunicorn worker and machine sees the same count.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.db.models import Max, Q
from django.shortcuts import render
from django.utils import timezone

from hiring.audit import client_address
from hiring.models import LoginLockout, User


def login_username(request, credentials: dict | None) -> str | None:
    """The account a login names, in the one form accounts are matched by: logins
    are case-insensitive, so ALICE@example.com must count against alice@example.com."""
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = request.POST.get("username")
    return User.objects.normal_email(typed) if typed else None


def _locked_until(username: str | None, address: str | None):
    window = settings.AXES_COOLOFF_TIME
    last = LoginLockout.objects.filter(
        Q(username=username) | Q(ip_address=address),
        attempt_time__gte=timezone.now() - window,
    ).aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + window


def locked_out(request, original_response=None, credentials=None):
    """The page shown instead of logging in while locked out: 429, with when to retry."""
    until = _locked_until(login_username(request, credentials), client_address(request))
    wait = max(until - timezone.now(), timedelta(seconds=1))
    response = render(
        request,
        "registration/locked_out.html",
        {
            "until": until,
            "wait_minutes": math.ceil(wait.total_seconds() / 60),
            "minutes": math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
            "failures": settings.AXES_FAILURE_LIMIT,
            "login_url": request.path,
        },
        status=429,
    )
    response["Retry-After"] = str(int(wait.total_seconds()) + 1)
    return response

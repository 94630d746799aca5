"""Login lockouts: django-axes counts failed logins per account, address and browser
in its own table; this proxy shows them in the admin, with the hiring app's
permissions (so recruiters may unlock)."""

from axes.models import AccessAttempt


class LoginLockout(AccessAttempt):
    class Meta:
        proxy = True
        verbose_name = "login lockout"
        verbose_name_plural = "login lockouts"
        ordering = ["-attempt_time"]

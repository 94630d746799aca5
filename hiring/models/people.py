"""People: users who log in with their email, and the groups they belong to."""

import operator
from functools import reduce

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        # None gives an unusable password: such users set one via password reset.
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def normal_email(self, email: str) -> str:
        """An email address as typed, in the one form users are stored and matched by."""
        return self.normalize_email((email or "").strip()).lower()

    def with_emails(self, emails):
        """The users with these email addresses, found the one way: case-insensitively."""
        addresses = {self.normal_email(email) for email in emails}
        if not addresses:
            return self.none()
        return self.filter(reduce(operator.or_, (Q(email__iexact=a) for a in addresses)))

    def with_email(self, email: str):
        return self.with_emails([email])

    def get_by_natural_key(self, email):
        return self.with_email(email).get()


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their email address."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_staff = models.BooleanField(default=False, help_text="Can log in to the admin (recruiters).")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.get_full_name()


# The group names are a public contract (issue #2): keep them exactly.
INTERVIEWERS = "Interviewers"
HIRING_LEADS = "Hiring leads"
RECRUITERS = "Recruiters"

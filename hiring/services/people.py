"""People: invitations to a panel, and the three groups with what recruiters may do."""

from collections.abc import Sequence

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from hiring.models import HIRING_LEADS, INTERVIEWERS, RECRUITERS, LoginLockout, User

GROUP_NAMES = (INTERVIEWERS, HIRING_LEADS, RECRUITERS)


@transaction.atomic
def users_get_or_invite(*, emails: Sequence[str]) -> list[User]:
    """The users with these emails (case-insensitive), in the order given, once each;
    an email nobody has yet becomes a new interviewer with no usable password.

    Invited people set their password through the password-reset flow. A deactivated
    person stays deactivated: they cannot be put on a panel. A fixed number of
    queries, however many people.
    """
    wanted = list(dict.fromkeys(User.objects.normal_email(email) for email in emails))
    found = {user.email.lower(): user for user in User.objects.with_emails(wanted)}
    deactivated = [
        found[email].email for email in wanted if email in found and not found[email].is_active
    ]
    if deactivated:
        raise ValidationError(
            {
                "interviewers": [
                    f"{email} is deactivated and cannot join a panel." for email in deactivated
                ]
            }
        )
    invited = [User(email=email) for email in wanted if email not in found]
    for user in invited:
        user.set_unusable_password()
    if invited:
        User.objects.bulk_create(invited)
        interviewers = Group.objects.get(name=INTERVIEWERS)
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user.pk, group_id=interviewers.pk) for user in invited
        )
        found.update((user.email, user) for user in invited)
    return [found[email] for email in wanted]


def grant_recruiter_permissions(sender=None, using="default", **kwargs):
    """Recruiters manage everything in the hiring app (post_migrate, idempotent)."""
    groups = {name: Group.objects.using(using).get_or_create(name=name)[0] for name in GROUP_NAMES}
    permissions = Permission.objects.using(using).filter(content_type__app_label="hiring")
    groups[RECRUITERS].permissions.add(*permissions)


@transaction.atomic
def user_logins_unlock(*, users: Sequence[User]) -> int:
    """Lift these people's login lockouts now (the failures counted against their
    accounts, from any address); returns how many records were cleared."""
    emails = [User.objects.normal_email(user.email) for user in users]
    cleared, _ = LoginLockout.objects.filter(username__in=emails).delete()
    return cleared


@transaction.atomic
def login_lockouts_unlock(*, lockouts: QuerySet[LoginLockout]) -> int:
    """Lift these lockouts now: every failure counted against their accounts and
    against their addresses, so neither keeps the other locked."""
    accounts, addresses = set(), set()
    for username, address in lockouts.values_list("username", "ip_address"):
        accounts.add(username)
        addresses.add(address)
    matching = Q(username__in=accounts - {None}) | Q(ip_address__in=addresses - {None})
    cleared, _ = LoginLockout.objects.filter(matching).delete()
    return cleared

"""People: invitations to a panel, and the three groups with what recruiters may do."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction

from hiring.models import HIRING_LEADS, INTERVIEWERS, RECRUITERS, User

GROUP_NAMES = (INTERVIEWERS, HIRING_LEADS, RECRUITERS)


@transaction.atomic
def user_get_or_invite(*, email: str) -> User:
    """The user with this email, or a new interviewer with no usable password.

    Invited people set their password through the password-reset flow. A
    deactivated person stays deactivated: they cannot be put on a panel.
    """
    user = User.objects.with_email(email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None)
        user.groups.add(Group.objects.get(name=INTERVIEWERS))
    elif not user.is_active:
        raise ValidationError(
            {"interviewers": [f"{user.email} is deactivated and cannot join a panel."]}
        )
    return user


def grant_recruiter_permissions(sender=None, using="default", **kwargs):
    """Recruiters manage everything in the hiring app (post_migrate, idempotent)."""
    groups = {name: Group.objects.using(using).get_or_create(name=name)[0] for name in GROUP_NAMES}
    permissions = Permission.objects.using(using).filter(content_type__app_label="hiring")
    groups[RECRUITERS].permissions.add(*permissions)

"""The three groups people belong to, and what recruiters may do in the admin."""

from django.contrib.auth.models import Group, Permission

from hiring.models import HIRING_LEADS, INTERVIEWERS, RECRUITERS

GROUP_NAMES = (INTERVIEWERS, HIRING_LEADS, RECRUITERS)


def grant_recruiter_permissions(sender=None, using="default", **kwargs):
    """Recruiters manage everything in the hiring app (post_migrate, idempotent)."""
    groups = {name: Group.objects.using(using).get_or_create(name=name)[0] for name in GROUP_NAMES}
    permissions = Permission.objects.using(using).filter(content_type__app_label="hiring")
    groups[RECRUITERS].permissions.add(*permissions)

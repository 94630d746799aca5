"""Login lockouts (django-axes's failure counts): who or which address is locked out,
until when, and the action that lifts a lockout early."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import DateTimeField, IntegerField, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from hiring import services
from hiring.models import LoginLockout


def _recent(field: str, aggregate, output_field):
    """An aggregate over the failures counted against this row's account (or address)
    within the cool-off window, as django-axes counts them."""
    recent = LoginLockout.objects.filter(
        **{field: OuterRef(field)},
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    )
    value = recent.order_by().values(field).annotate(value=aggregate).values("value")
    return Subquery(value, output_field=output_field)


@admin.action(description="Unlock the accounts and addresses of selected lockouts now")
def unlock(modeladmin, request, queryset):
    cleared = services.login_lockouts_unlock(lockouts=queryset)
    messages.success(request, f"Unlocked: {cleared} failure record(s) cleared.")


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    list_display = (
        "account",
        "address",
        "failures",
        "last_failure",
        "account_failures",
        "address_failures",
        "locked_until",
    )
    search_fields = ("username", "ip_address")
    fields = ("username", "ip_address", "user_agent", "path_info", "failures_since_start")
    readonly_fields = fields
    actions = [unlock]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                account_total=Coalesce(
                    _recent("username", Sum("failures_since_start"), IntegerField()), 0
                ),
                address_total=Coalesce(
                    _recent("ip_address", Sum("failures_since_start"), IntegerField()), 0
                ),
                account_last=_recent("username", Max("attempt_time"), DateTimeField()),
                address_last=_recent("ip_address", Max("attempt_time"), DateTimeField()),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the unlock action is the one way to clear a lockout

    @admin.display(description="account", ordering="username")
    def account(self, lockout):
        return lockout.username

    @admin.display(description="address", ordering="ip_address")
    def address(self, lockout):
        return lockout.ip_address

    @admin.display(description="failures (this browser)", ordering="failures_since_start")
    def failures(self, lockout):
        return lockout.failures_since_start

    @admin.display(description="last failure", ordering="attempt_time")
    def last_failure(self, lockout):
        return lockout.attempt_time

    @admin.display(description="on the account", ordering="account_total")
    def account_failures(self, lockout):
        return lockout.account_total

    @admin.display(description="from the address", ordering="address_total")
    def address_failures(self, lockout):
        return lockout.address_total

    @admin.display(description="locked until")
    def locked_until(self, lockout):
        """The latest failure of whatever is locked (account, address), plus the cool-off."""
        limit = settings.AXES_FAILURE_LIMIT
        ends = [
            last
            for total, last in (
                (lockout.account_total, lockout.account_last),
                (lockout.address_total, lockout.address_last),
            )
            if total >= limit and last is not None
        ]
        if not ends:
            return "not locked"
        return timezone.localtime(max(ends) + settings.AXES_COOLOFF_TIME)

"""Who may change what. Who may *see* what is ``hiring.access``: every view's
queryset comes from there, so an object the caller may not see is a 404 before
any of these checks runs."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from hiring import access


class ManagesHiringData(BasePermission):
    message = "Only recruiters and the integration key can change this."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "detail", False):
            # Decided per object once it is found, so that an object the caller
            # may not see answers 404 rather than 403.
            return True
        return access.may_manage(request.user)

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or access.may_manage(request.user)


class EditsOwnScorecard(BasePermission):
    """Interviewers fill in, submit and correct their own scorecards; nobody else
    edits them (not even recruiters: a scorecard is one person's judgement)."""

    message = "Only the scorecard's interviewer can change it."

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or access.is_scorecard_author(request.user, obj)


class MayUseIntake(BasePermission):
    message = "Role intake is for hiring leads, recruiters and the integration key."

    def has_permission(self, request, view):
        return access.may_use_intake(request.user)


class ReadsAuditLog(BasePermission):
    message = "The audit log is for recruiters."

    def has_permission(self, request, view):
        return access.may_read_audit_log(request.user)


class ExportsCandidatesData(BasePermission):
    message = "Only recruiters can export what is held about a candidate."

    def has_permission(self, request, view):
        return access.may_export_candidate(request.user)

"""Where each person starts, and the account pages: password reset also sets the
first password of invited interviewers."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from hiring import access
from hiring.pages.forms import InvitationAwarePasswordResetForm


@login_required
def home(request):
    """Send each person to the page for the hat they wear."""
    user = request.user
    interviews = access.is_interviewer(user)
    leads = access.is_hiring_lead(user)
    recruiter = access.is_recruiter(user)
    if not recruiter and interviews != leads:
        return redirect("hiring:my_scorecards" if interviews else "hiring:my_roles")
    return render(
        request,
        "hiring/home.html",
        {"interviews": interviews, "leads": leads or recruiter, "recruiter": recruiter},
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = InvitationAwarePasswordResetForm
    template_name = "hiring/account/password_reset_form.html"
    email_template_name = "hiring/account/password_reset_email.txt"
    subject_template_name = "hiring/account/password_reset_subject.txt"

    def form_valid(self, form):
        # Links in emails use the public address, not whatever Host the request had.
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)

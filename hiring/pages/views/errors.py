"""What the service answers when a request fails outside the API's own error handling
(``scorecards/urls.py`` names these as Django's handlers): the site's styled pages,
and under /api/ the API's JSON error shape, never an HTML page."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from hiring.api.errors import error_payload

API_PREFIX = "/api/"


def _api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(error_payload(code, message), status=status)


@requires_csrf_token
def bad_request(request, exception):
    if _api(request):
        return _json("bad_request", "The request could not be understood.", 400)
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception):
    if _api(request):
        return _json("permission_denied", "You do not have permission to do this.", 403)
    # Our views say why (e.g. "Role intake is for hiring leads and recruiters.").
    return render(request, "403.html", {"exception": str(exception)}, status=403)


@requires_csrf_token
def page_not_found(request, exception):
    if _api(request):
        return _json("not_found", "No such API path.", 404)
    # Not the exception's text: it could name what a 404 exists to hide.
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    if _api(request):
        message = "Something went wrong on our side; it has been logged. Try again later."
        return _json("server_error", message, 500)
    # Drawn without the request: the error may be the database's, and the request's
    # context (the user, the messages) would need it.
    return HttpResponseServerError(loader.get_template("500.html").render())

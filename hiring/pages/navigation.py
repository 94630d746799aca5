"""The site navigation: a link is offered only to people who may use its page.

``hiring.access`` decides who may use what; this only turns its answers into links,
read lazily so that a page that draws no navigation asks nothing.
"""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from hiring import access


def navigation(request) -> dict:
    """Template context processor: ``navigation`` lists the links for this person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    return {"navigation": SimpleLazyObject(lambda: _links(request, user))}


def _links(request, user) -> list[dict]:
    match = request.resolver_match
    here = (match.namespace, match.url_name) if match else (None, None)
    links = [("My scorecards", "hiring:my_scorecards", here == ("hiring", "my_scorecards"))]
    if access.may_list_roles(user):
        label = "Roles" if access.sees_everything(user) else "My roles"
        links.append((label, "hiring:my_roles", here == ("hiring", "my_roles")))
    if access.may_use_intake(user):
        links.append(("Role intake", "intake:start", here[0] == "intake"))
    if access.is_recruiter(user):
        links.append(("Admin", "admin:index", False))
    return [
        {"label": label, "url": reverse(name), "current": current} for label, name, current in links
    ]

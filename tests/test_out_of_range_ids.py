"""An id out of range (2**63, negative, zero, huge) is a 404 on every route that takes
one, on both databases: `<id:…>` routes never match it and the API's lookups refuse it
before any query (a raw query given 2**63 overflows on SQLite)."""

import re

import pytest
from django.urls import URLResolver, get_resolver

pytestmark = pytest.mark.usefixtures("builtin_data")

BAD_IDS = ["9223372036854775808", "99999999999999999999999999", "-1", "0", "9223372036854775807"]


def routes(patterns=None, prefix=""):
    """Every route of the site (the admin aside) with an object id in its path."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith("admin/"):
                yield from routes(pattern.url_patterns, route)
        elif re.search(r"<\w+:pk>|\(\?P<pk>", route):
            yield route.replace("^", "").replace("$", "")


ROUTES = sorted(set(routes()))


def test_every_route_with_an_id_is_covered():
    assert len(ROUTES) >= 15
    assert "api/v1/roles/<id:pk>/comparison/" in ROUTES
    assert "scorecards/<id:pk>/revise/" in ROUTES


def url(route: str, bad_id: str) -> str:
    return "/" + re.sub(r"<\w+:pk>|\(\?P<pk>[^)]*\)", bad_id, route)


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize("route", ROUTES)
def test_an_id_out_of_range_is_a_404(client, recruiter, route, bad_id):
    client.force_login(recruiter)
    response = client.get(url(route, bad_id))
    if response.status_code == 405:  # POST-only actions (submit, revise)
        response = client.post(url(route, bad_id), {}, content_type="application/json")
    assert response.status_code == 404, (url(route, bad_id), response.content[:300])
    if route.startswith("api/"):
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_the_admin_says_an_out_of_range_object_does_not_exist(client, recruiter, bad_id):
    client.force_login(recruiter)
    response = client.get(f"/admin/hiring/role/{bad_id}/change/")
    assert response.status_code == 302  # to the admin's index, saying it does not exist

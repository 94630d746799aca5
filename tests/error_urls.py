"""The service's URLs plus two that fail, for the tests of the 500 answers
(``settings.ROOT_URLCONF`` in tests/test_error_pages.py)."""

from django.urls import path
from rest_framework.views import APIView

from scorecards.urls import handler400, handler403, handler404, handler500, urlpatterns


def page_that_fails(request):
    raise RuntimeError("a bug in a page")


class ApiViewThatFails(APIView):
    def get(self, request):
        raise RuntimeError("a bug in the API")


urlpatterns = [
    path("broken/", page_that_fails),
    path("api/v1/broken/", ApiViewThatFails.as_view()),
    *urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

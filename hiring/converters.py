"""``<id:…>`` in URL routes: a database id, 1 to 2**63 - 1 (a signed 64-bit integer,
the range of both databases' id columns). Anything else matches no route, so it is a
404 (in the API's error shape under /api/) and never reaches a query: a raw query
given 2**63 overflows on SQLite. Importing this module registers the converter."""

from django.urls import register_converter

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(f"{value} is not a database id")  # no match: a 404
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

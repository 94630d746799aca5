"""Cursor pagination: stable pages however much data changes between requests."""

import datetime

from django.core.exceptions import FieldDoesNotExist, ValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class CursorPagination(pagination.CursorPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = (
        f"Results per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})."
    )
    max_page_size = MAX_PAGE_SIZE
    cursor_query_description = (
        "Opaque cursor from a previous response's `next` or `previous` link; "
        "an invalid cursor answers 404."
    )
    ordering = ("id",)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = int(raw) if raw.isascii() and raw.isdigit() else 0
        if not 1 <= size <= self.max_page_size:
            raise ApiValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return size

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise NotFound(self.invalid_cursor_message, code="invalid_cursor") from None
        if cursor is not None and cursor.position is not None:
            self._check_position(cursor.position)
        return cursor

    def _check_position(self, position: str) -> None:
        """A cursor is opaque but travels through clients: refuse one whose position
        does not fit the ordering field instead of letting the database choke on it."""
        model = self._model
        try:
            field = model._meta.get_field(self.ordering[0].lstrip("-"))
            value = field.to_python(position)
            if isinstance(value, datetime.datetime) and value.utcoffset() != datetime.timedelta(0):
                # Positions come from stored values, which Django reads back in UTC.
                raise ValidationError("not UTC")
            if "\x00" in position:
                raise ValidationError("NUL")
        except (FieldDoesNotExist, ValidationError, OverflowError, ValueError, TypeError):
            raise NotFound(self.invalid_cursor_message, code="invalid_cursor") from None

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters

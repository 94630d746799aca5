"""The API's views, by area. Thin: querysets from ``hiring.access`` (what the caller
may see) and ``hiring.selectors`` (what showing it needs), writes through
``hiring.services``, permission checks in ``hiring.api.permissions``."""

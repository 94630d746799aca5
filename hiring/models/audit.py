"""The audit log: who did what to which object, and who read what, append-only.

An event holds ids, actions and field names only — never a name, an email or a
note — so erasing a candidate has nothing to change here. Nothing edits or deletes
an event: the admin is read-only, the API only lists, and on PostgreSQL a trigger
(migration 0012_privacy) refuses ``UPDATE`` and ``DELETE`` on the table.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    SUBMIT = "submit", "Submit"
    REVISE = "revise", "Revise"
    DECIDE = "decide", "Decide"
    ERASE = "erase", "Erase"
    EXPORT = "export", "Export"
    VIEW = "view", "View"


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person, when a person acted (directly or through their API key).",
    )
    api_key_name = models.CharField(
        max_length=100, blank=True, help_text="The API key used, when one was."
    )
    client_address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    fields = models.JSONField(
        default=list,
        blank=True,
        help_text="For a change, the names of the fields it changed; for a read, what was "
        "read (e.g. comparison, csv, greenhouse). Never their values.",
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.action} {self.object_type} {self.object_id or ''}".strip()


class TracksLoadedValues(models.Model):
    """Remembers each concrete field's value as loaded from the database, so a write
    can name the fields it changed without reading the row again."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.remember_loaded_values()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def changed_fields(self) -> list[str]:
        """The names of the fields that differ from the loaded row (every field set, for
        an object not saved yet)."""
        loaded = getattr(self, "_loaded_values", None)
        names = []
        for field in self._meta.concrete_fields:
            if field.primary_key or getattr(field, "auto_now", False):
                continue
            value = getattr(self, field.attname)
            if loaded is None:
                if value not in (None, "", [], {}) and not getattr(field, "auto_now_add", False):
                    names.append(field.name)
            elif field.attname in loaded and loaded[field.attname] != value:
                names.append(field.name)
        return names

    def remember_loaded_values(self) -> None:
        """After a save, the saved values are what the row holds."""
        self._loaded_values = {
            field.attname: getattr(self, field.attname) for field in self._meta.concrete_fields
        }

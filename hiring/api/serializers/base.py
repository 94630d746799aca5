"""What every serializer of the API shares."""

from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.validators import UniqueValidator

MAX_LIST = 100  # focus competencies, interviewers, ratings: far more than any real interview


class StrictMixin:
    """Refuse fields the endpoint does not take: a typo or a read-only field sent
    back is a 400 naming it, not something silently ignored."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for name in data:
                field = self.fields.get(name)
                if field is None:
                    errors[name] = ["Unknown field."]
                elif field.read_only:
                    errors[name] = ["This field is read-only."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def unique(queryset, what: str):
    return UniqueValidator(queryset, message=f"{what} with this external_id exists.")


def upsert_serializer(serializer_class):
    """The serializer for PUT .../by-external-id/{external_id}/: the URL gives the
    external_id, so the body may not."""

    class Meta(serializer_class.Meta):
        read_only_fields = ["external_id"]

    return type(
        serializer_class.__name__.replace("Serializer", "UpsertSerializer"),
        (serializer_class,),
        {
            "Meta": Meta,
            "external_id": serializers.CharField(read_only=True, allow_null=True),
            "__doc__": serializer_class.__doc__,
            "__module__": __name__,
        },
    )

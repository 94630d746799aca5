"""The API's serializers, by area. They check the shape of the input; the rules
live in ``hiring.services``, which the views call to write."""

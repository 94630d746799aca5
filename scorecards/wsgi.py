"""The WSGI application gunicorn serves (``scorecards.wsgi``)."""

import io
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scorecards.settings")


class ChunkedBodies:
    """Reads a request body sent with ``Transfer-Encoding: chunked`` (no Content-Length).

    Django reads only as many bytes as CONTENT_LENGTH says, so without this such a
    body would be read as empty: a PATCH answered 200 having changed nothing.
    gunicorn decodes the chunks; this reads them whole and sets CONTENT_LENGTH. At
    most one byte more than DATA_UPLOAD_MAX_MEMORY_SIZE is read, so a body over that
    limit is refused as too large, as it is with a Content-Length.
    """

    def __init__(self, app, settings):
        self.app, self.settings = app, settings  # django.conf.settings, read per request

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            limit = self.settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            body = environ["wsgi.input"].read(-1 if limit is None else limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)


application = ChunkedBodies(get_wsgi_application(), settings)

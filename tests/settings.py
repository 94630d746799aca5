"""The test suite's settings: the production settings, plus what the tests need.

The variables are set in the environment, not only here, so that the servers and
workers the tests start in their own processes (gunicorn, manage.py) get them too.
"""

import os
import secrets

# One random key per run, shared with the processes the tests start.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
# The tests talk plain http to Django's test client, live_server and gunicorn.
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["SECURE_COOKIES"] = "false"
# Webhook receivers in the tests listen on 127.0.0.1; the tests of the refusal of
# private addresses turn this off for themselves.
os.environ["WEBHOOK_ALLOW_PRIVATE_NETWORKS"] = "true"

from scorecards.settings import *  # noqa: E402, F403

# Templates name static files the plain way: the tests run no collectstatic.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

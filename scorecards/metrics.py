"""``/metrics``: Prometheus text format (prometheus-client), behind a bearer token.

Counters and histograms are kept per process. Under gunicorn each worker is a
process, so gunicorn.conf.py points PROMETHEUS_MULTIPROC_DIR at a directory where
every worker writes its values to its own file, and a scrape — whichever worker
answers it — adds them all up (``MultiProcessCollector``). Without that variable
(one process: ``runserver``, the tests) the process's own values are served.

The queue and overdue gauges are not kept anywhere: they are counted in the
database at scrape time (two queries), so every worker and every machine reports
the same numbers.
"""

import hmac
import os
import time

from django.conf import settings
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from hiring.models import DeliveryStatus, Scorecard, WebhookDelivery
from scorecards.logs import route_of

REQUESTS = Histogram(
    "scorecards_http_request_duration_seconds",
    "Time to answer a request, by route (URL pattern name), method and status; "
    "its _count is the number of requests.",
    ["route", "method", "status"],
)


class RequestMetricsMiddleware:
    """Times every request (first in MIDDLEWARE, so redirects and errors count too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        REQUESTS.labels(route_of(request), request.method, str(response.status_code)).observe(
            time.perf_counter() - start
        )
        return response


class DatabaseGauges:
    """The webhook queue and overdue scorecards, counted when scraped."""

    def collect(self):
        queue = WebhookDelivery.objects.aggregate(
            pending=Count("pk", filter=Q(status=DeliveryStatus.PENDING)),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
            oldest=Min("created_at", filter=Q(status=DeliveryStatus.PENDING)),
        )
        deliveries = GaugeMetricFamily(
            "scorecards_webhook_deliveries",
            "Webhook deliveries waiting to be sent (pending, paused ones included) "
            "or given up on (failed).",
            labels=["status"],
        )
        deliveries.add_metric(["pending"], queue["pending"])
        deliveries.add_metric(["failed"], queue["failed"])
        yield deliveries
        oldest = queue["oldest"]
        age = (timezone.now() - oldest).total_seconds() if oldest else 0
        yield GaugeMetricFamily(
            "scorecards_webhook_oldest_pending_age_seconds",
            "How long the oldest pending webhook delivery has waited (0 when none).",
            value=age,
        )
        yield GaugeMetricFamily(
            "scorecards_scorecards_overdue",
            "Draft scorecards past their feedback due time.",
            value=Scorecard.objects.overdue().count(),
        )


class ThisProcess:
    def collect(self):
        return REGISTRY.collect()


def registry() -> CollectorRegistry:
    scrape = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(scrape)  # every gunicorn worker's values
    else:
        scrape.register(ThisProcess())
    scrape.register(DatabaseGauges())
    return scrape


def metrics(request):
    """404 unless METRICS_TOKEN is set; then ``Authorization: Bearer <token>`` or 401/403."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        response = HttpResponse("Send Authorization: Bearer <METRICS_TOKEN>.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        return HttpResponse("Wrong metrics token.\n", status=403)
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)

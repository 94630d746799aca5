"""Webhooks reach only the public internet: receivers on loopback, private, link-local,
unique-local, multicast, unspecified or reserved addresses are refused when an
endpoint is saved (API and admin share the field's rule) and again at delivery,
after resolving the name, connecting to the very address that was checked. Nothing
follows a redirect, and the delivery log keeps no reply body.

The suite's settings allow private networks (its receivers listen on 127.0.0.1);
these tests turn that off, as it is by default.
"""

import importlib
import ssl

import pytest
import trustme
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from hiring import services
from hiring.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from hiring.webhooks import addresses, delivery, worker
from hiring.webhooks.events import EVENT_TYPES
from tests import factories
from tests.receiver import Receiver

SECRET = "whsec-test-0123456789"
WEBHOOKS = "/api/v1/webhooks/"


@pytest.fixture
def public_only(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False


@pytest.fixture
def ats(api_client):
    return api_client("integration")


@pytest.fixture
def staff(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def register(ats, url):
    return ats.post(WEBHOOKS, {"url": url, "events": ["scorecard.submitted"]}, format="json")


def admin_add(staff, url):
    return staff.post(
        reverse("admin:hiring_webhookendpoint_add"),
        {"url": url, "description": "", "events": ["scorecard.submitted"], "secret": ""},
    )


# ---------------------------------------------------------------------------
# At registration
# ---------------------------------------------------------------------------

REFUSED = {
    # The issue's list, as found.
    "http://127.0.0.1:8000/admin/": "127.0.0.1 is a loopback address",
    "http://localhost:6379/": "localhost names this machine or a local network",
    "http://169.254.169.254/latest/meta-data/": "169.254.169.254 is a link-local address",
    "http://10.0.0.1/": "10.0.0.1 is a private address",
    "http://0.0.0.0/": "0.0.0.0 is an unspecified address",
    # Other private and special IPv4 ranges.
    "http://172.16.5.4/": "172.16.5.4 is a private address",
    "http://192.168.1.1/": "192.168.1.1 is a private address",
    "http://100.64.0.1/": "100.64.0.1 is not a public address",
    "http://224.0.0.1/": "224.0.0.1 is a multicast address",
    "http://240.0.0.1/": "240.0.0.1 is a reserved address",
    "http://127.8.9.10/": "127.8.9.10 is a loopback address",
    # IPv6, and IPv6 addresses that carry an IPv4 one.
    "http://[::1]:8000/": "::1 is a loopback address",
    "http://[::]/": ":: is an unspecified address",
    "http://[fe80::1]/": "fe80::1 is a link-local address",
    "http://[fd12:3456::1]/": "fd12:3456::1 is a unique-local address",
    "http://[ff02::1]/": "ff02::1 is a multicast address",
    "http://[::ffff:127.0.0.1]/": "::ffff:127.0.0.1 is a loopback address (127.0.0.1)",
    "http://[::ffff:a9fe:a9fe]/": "is a link-local address (169.254.169.254)",
    "http://[64:ff9b::a00:1]/": "is a private address (10.0.0.1)",
    "http://[2002:7f00:1::]/": "is a loopback address (127.0.0.1)",
    # Other spellings of 127.0.0.1 that a resolver understands.
    "http://2130706433/": "2130706433 means 127.0.0.1",
    "http://0177.0.0.1/": "0177.0.0.1 means 127.0.0.1",
    "http://0x7f000001/": "0x7f000001 means 127.0.0.1",
    "http://127.1/": "127.1 means 127.0.0.1",
    # Names that are local by definition, however they are written.
    "http://LocalHost:80/": "localhost names this machine or a local network",
    "http://api.localhost/": "api.localhost names this machine or a local network",
    "http://metadata.google.internal/": "metadata.google.internal names this machine",
    "http://printer.local/": "printer.local names this machine",
    "http://ｌｏｃａｌｈｏｓｔ/": "localhost names this machine",
    "http://１２７.０.０.１/": "127.0.0.1 is a loopback address",
}


@pytest.mark.usefixtures("public_only")
@pytest.mark.parametrize(("url", "reason"), list(REFUSED.items()))
def test_internal_receivers_are_refused_by_the_api_and_the_admin(ats, staff, url, reason):
    response = register(ats, url)
    assert response.status_code == 400
    [message] = response.json()["fields"]["url"]
    assert reason in message

    response = admin_add(staff, url)
    assert response.status_code == 200
    assert reason in " ".join(response.context["adminform"].form.errors["url"])
    assert not WebhookEndpoint.objects.exists()


ACCEPTED = [
    "https://hooks.eu-west-1.prod.example.co.uk/x",  # more than three labels before the TLD
    "https://a.b.c.d.e.f.example.com:8443/hooks?team=ml",
    "https://[2606:4700:4700::1111]/hooks",  # a public IPv6 literal
    "https://[2a00:1450:4001:82b::200e]:8443/x",
    "https://bücher.example/hooks",  # an internationalised name
    "https://xn--bcher-kva.example/hooks",  # the same, as it goes on the wire
    "https://例え.テスト/フック".replace("/フック", "/hooks"),
    "http://8.8.8.8/hooks",
]


@pytest.mark.usefixtures("public_only")
@pytest.mark.parametrize("url", ACCEPTED)
def test_real_receivers_are_accepted_by_the_api_and_the_admin(ats, staff, url):
    response = register(ats, url)
    assert response.status_code == 201, response.json()
    assert response.json()["url"] == url  # stored as given

    assert admin_add(staff, url).status_code == 302
    assert WebhookEndpoint.objects.filter(url=url).count() == 2


def test_a_deployment_may_allow_receivers_on_its_own_network(ats, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    for url in ("http://10.0.0.1/hooks", "http://localhost:9000/", "http://[fd00::5]/x"):
        assert register(ats, url).status_code == 201
    # Spelling stays strict either way.
    assert (
        "write an IPv4 address as four decimal numbers"
        in (register(ats, "http://2130706433/").json()["fields"]["url"][0])
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://e.com:0/",
        "http://e.com:65536/",
        "http://[::1/",
        "http://[1:2:3]/",
        "http://user@ats.example.com/",
        "http://ats.example.com./",
        "http://-bad.example.com/",
    ],
)
def test_malformed_urls_get_the_one_url_message(ats, url):
    response = register(ats, url)
    assert response.json()["fields"]["url"] == [
        "Give an http:// or https:// URL with a domain name, an IPv4 address, "
        "an IPv6 address in brackets or localhost."
    ]


# ---------------------------------------------------------------------------
# At delivery
# ---------------------------------------------------------------------------


def queue(interview, alice, url):
    """An endpoint saved earlier (as it was then: no rule applied now), and an event."""
    endpoint = WebhookEndpoint.objects.create(url=url, secret=SECRET, events=list(EVENT_TYPES))
    factories.submit(interview.scorecards.get(interviewer=alice))
    return endpoint


@pytest.mark.usefixtures("public_only")
def test_a_name_that_resolves_to_loopback_at_delivery_is_not_contacted(interview, alice, receiver):
    # "localhost" resolves through the system's resolver (/etc/hosts) to 127.0.0.1,
    # where the receiver listens.
    queue(interview, alice, receiver.url.replace("127.0.0.1", "localhost"))
    assert worker.deliver_due() == 1
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == []
    assert delivery.status == DeliveryStatus.PENDING  # retried: the name may change back
    assert delivery.last_status_code is None
    assert "localhost resolves to 127.0.0.1, which is a loopback address" in delivery.last_error
    assert delivery.last_error.startswith("Not sent:")


@pytest.fixture
def rebinding(monkeypatch):
    """The resolver the worker uses answers what an attacker's DNS would, and counts."""
    lookups = []

    def resolve(host, port):
        lookups.append(host)
        return list(rebinding.answer)

    rebinding.answer = ["127.0.0.1"]
    rebinding.lookups = lookups
    monkeypatch.setattr(addresses, "resolve", resolve)
    return rebinding


def test_a_public_name_that_now_resolves_to_loopback_is_refused(
    ats, interview, alice, receiver, settings, rebinding
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    url = f"http://hooks.example.com:{receiver.server.server_port}/hooks"
    assert register(ats, url).status_code == 201  # a name: fine when it is saved
    factories.submit(interview.scorecards.get(interviewer=alice))

    worker.deliver_due()
    assert receiver.requests == []
    assert "hooks.example.com resolves to 127.0.0.1" in WebhookAttempt.objects.get().error

    # A name with one public and one internal address is refused too.
    rebinding.answer = ["93.184.215.14", "10.1.2.3"]
    WebhookDelivery.objects.update(next_attempt_at=WebhookDelivery.objects.get().created_at)
    worker.deliver_due()
    assert receiver.requests == []
    assert "resolves to 10.1.2.3, which is a private address" in (
        WebhookDelivery.objects.get().last_error
    )


def test_the_worker_connects_to_the_address_it_checked(
    interview, alice, receiver, settings, rebinding
):
    # Allowed here, so that the connection is made: "hooks.example.com" has no DNS
    # on this machine, so only a connection to the checked address can arrive.
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    port = receiver.server.server_port
    queue(interview, alice, f"http://hooks.example.com:{port}/hooks")

    assert worker.deliver_due() == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
    [request] = receiver.requests
    assert request.headers["Host"] == f"hooks.example.com:{port}"  # the name, as sent
    assert request.path == "/hooks"
    assert rebinding.lookups == ["hooks.example.com"]  # resolved once, then pinned


def test_a_redirect_is_not_followed_and_says_where_it_pointed(interview, alice, receiver):
    with Receiver() as elsewhere:
        receiver.status = 302
        receiver.headers = {"Location": elsewhere.url}
        queue(interview, alice, receiver.url)
        worker.deliver_due()
        assert elsewhere.requests == []
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.PENDING, 302)
    assert delivery.last_error == (
        f"HTTP 302 Found: redirects are not followed; register the final URL "
        f"(Location: {elsewhere.url})"
    )


def test_the_delivery_log_keeps_the_status_but_never_the_reply(
    interview, alice, receiver, recruiter, client
):
    receiver.status = 500
    receiver.reply = b"redis_version:7.0.11\nrequirepass:s3cr3t internal stack trace"
    queue(interview, alice, receiver.url)
    worker.deliver_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_error == "HTTP 500 Internal Server Error"
    assert delivery.log.get().error == "HTTP 500 Internal Server Error"

    client.force_login(recruiter)
    page = client.get(reverse("admin:hiring_webhookdelivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    assert b"HTTP 500 Internal Server Error" in page.content
    assert b"s3cr3t" not in page.content and b"redis_version" not in page.content


def test_replies_logged_before_are_cut_down_to_their_status(db, interview, alice, receiver):
    endpoint = queue(interview, alice, receiver.url)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    WebhookDelivery.objects.update(last_error="HTTP 503: <html>internal dashboard</html>")
    WebhookAttempt.objects.create(delivery=delivery, status_code=418, error="HTTP 418: teapot")
    WebhookAttempt.objects.create(delivery=delivery, error="Timed out after 10 s.")

    migration = importlib.import_module("hiring.migrations.0005_security")
    migration.drop_reply_bodies(apps, None)

    assert WebhookDelivery.objects.get().last_error == "HTTP 503 Service Unavailable"
    assert sorted(WebhookAttempt.objects.values_list("error", flat=True)) == [
        "HTTP 418 I'm a Teapot",
        "Timed out after 10 s.",
    ]


def test_the_endpoint_service_applies_the_same_rule(db, public_only):
    endpoint = WebhookEndpoint(url="http://[::1]/x", events=["scorecard.submitted"])
    with pytest.raises(ValidationError) as error:
        services.endpoint_save(endpoint=endpoint)
    assert "::1 is a loopback address" in str(error.value)


# ---------------------------------------------------------------------------
# Over TLS: the checked address is reached, the certificate is checked for the name
# ---------------------------------------------------------------------------


@pytest.fixture
def tls_receiver(monkeypatch):
    """A receiver serving https for hooks.example.com on 127.0.0.1, under a test CA
    that the worker's TLS context is made to trust (as the system's CAs would be)."""
    authority = trustme.CA()
    running = Receiver()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("hooks.example.com").configure_cert(server_context)
    running.server.socket = server_context.wrap_socket(running.server.socket, server_side=True)
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)
    monkeypatch.setattr(delivery, "_TLS", client_context)
    with running:
        yield running


def test_https_goes_to_the_checked_address_and_checks_the_certificate_for_the_name(
    interview, alice, tls_receiver, settings, rebinding
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True  # the receiver is on 127.0.0.1
    port = tls_receiver.server.server_port
    queue(interview, alice, f"https://hooks.example.com:{port}/hooks")
    worker.deliver_due()
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
    assert tls_receiver.requests[0].headers["Host"] == f"hooks.example.com:{port}"


def test_https_refuses_a_certificate_for_another_name(
    interview, alice, tls_receiver, settings, rebinding
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    port = tls_receiver.server.server_port
    queue(interview, alice, f"https://other.example.com:{port}/hooks")
    worker.deliver_due()
    sent = WebhookDelivery.objects.get()
    assert sent.status == DeliveryStatus.PENDING and tls_receiver.requests == []
    assert sent.last_error == (
        "TLS failed: Hostname mismatch, certificate is not valid for 'other.example.com'."
    )

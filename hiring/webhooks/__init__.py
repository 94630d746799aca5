"""Signed webhooks through a transactional outbox.

- ``events``: the event vocabulary and the HTTP headers (imports nothing of ours);
- ``payloads``: each event's ``data``, built from rows already loaded;
- ``outbox``: ``emit``, called by the services inside the transaction of a change;
- ``delivery``: the signed envelope and the one outbound HTTP call;
- ``worker``: claims due deliveries, sends them, retries with backoff.
"""

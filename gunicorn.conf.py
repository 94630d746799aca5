"""gunicorn's settings for this service, read from the working directory by every
`gunicorn scorecards.wsgi` started in the checkout (`make run`, the tests' servers).
Options on the command line override them."""

# The longest request line (method, path with query string, protocol) gunicorn
# accepts: its maximum, up from its default of 4094 bytes. Longer lines are refused
# by gunicorn itself with a plain-text 414 before the service sees them (README,
# "Operating it").
limit_request_line = 8190

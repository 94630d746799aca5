"""The benchmarks (``make bench``): outside the app, beside the tests."""

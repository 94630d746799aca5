"""Role briefs, generated: ``texts`` holds the built-in wording and interview plans,
``generate`` builds a brief's fields from a role (pure, given what it reads), and
``markdown`` writes a brief for a job board."""

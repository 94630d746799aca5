"""Role intake: which profile a role needs. ``rules`` is the decision (pure);
``services`` reads the questions, recommends and creates the roles."""

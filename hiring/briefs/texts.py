"""The built-in wording of role briefs and the built-in interview plans, per profile and
level. Data, not logic: ``hiring.briefs.generate`` puts it together. A profile without
built-in wording (one made in the admin) gets briefs from its own names and skills."""

AI = "ai-engineer"
ML = "ml-engineer"

# What the hire is for, in a sentence; the role's title starts the summary.
PURPOSE = {
    AI: (
        "is hired to ship a complete AI feature that people use: a product built around "
        "existing models that keeps working in production, measured by uptime, end-to-end "
        "response time, cost per interaction and how satisfied its users are."
    ),
    ML: (
        "is hired to build, train and scale one high-performing predictive model and hand it "
        "over as a production model endpoint, measured by its metrics: accuracy, precision "
        "and recall, false positives, inference latency and cost per prediction."
    ),
}
GENERIC_PURPOSE = "is hired for the work the {profile} profile describes."

# What each level owns (junior, mid and senior differ in scope, not only in years).
LEVEL_SCOPE = {
    "junior": (
        "As a junior hire (0–2 years) you build well-defined parts of the work, with "
        "reviews and guidance from senior colleagues, and grow into owning them."
    ),
    "mid": (
        "At mid level (3–5 years) you own features end to end, from design to production, "
        "and decide how to build them within the team's direction."
    ),
    "senior": (
        "As a senior hire (5+ years) you own the technical direction: you set the approach, "
        "make the trade-offs others follow, review their work and mentor them."
    ),
}

# How each level words a responsibility and a requirement.
DUTY = {
    "junior": "Build {duty}, with reviews from senior engineers.",
    "mid": "Own {duty}, from design to production.",
    "senior": "Lead {duty}, and raise the team's bar for it.",
}
SKILL = {
    "junior": "Working knowledge of {area}: {skills}.",
    "mid": "Hands-on experience with {area}: {skills}.",
    "senior": "Deep, proven expertise in {area} ({skills}), including teaching it to others.",
}
EXPERIENCE = {
    "junior": "Up to two years of professional experience, or equivalent projects.",
    "mid": "Three to five years of professional experience.",
    "senior": "Five or more years of professional experience, including leading work.",
}

# Competency key → the duty it stands for, as a noun phrase.
DUTIES = {
    # AI engineer
    "system-architecture": "the end-to-end design of the application, from the request "
    "through routing, retrieval and generation to the quality check",
    "integration-rag": "the integration of model APIs, vector databases and document "
    "pipelines into retrieval-augmented features",
    "software-engineering": "well-tested, maintainable Python services, and fast concurrent "
    "ones where they matter",
    "cloud-deployment": "deployment on cloud services, with infrastructure as code, "
    "containers and rollbacks that work",
    "reliability-security": "production reliability and security: monitoring that catches "
    "failures before users do, scaling, and defences against prompt injection and data leaks",
    "cost-performance": "cost and speed: caching, routing simple requests to cheaper models, "
    "token budgets and latency budgets",
    # ML engineer
    "modelling": "the model itself: choosing the algorithm, designing and fine-tuning the "
    "architecture, training and tuning it",
    "data-pipelines": "the data behind the model: cleaning, feature engineering and automated, "
    "distributed pipelines with quality checks",
    "mlops": "the model's life in production: tracked experiments, versioned models, safe "
    "rollouts and monitoring for drift",
    "model-optimisation": "inference speed and cost: quantisation, pruning and "
    "hardware-specific optimisation",
    "research-maths": "turning research into working code: reading papers and applying the "
    "mathematics behind them",
    "evaluation": "how the model is judged: evaluation frameworks, datasets, metrics and the "
    "trade-offs between accuracy, speed and resources",
}

# What a first 90 days delivers when the intake did not say.
DELIVERABLE = {
    AI: "A first version of the AI feature running in production for real users, with "
    "monitoring, a cost per interaction you can read, and a plan for what comes next.",
    ML: "The model's core metric measurably improved against today's baseline (for example "
    "a 10% lower error rate), served from a production endpoint with its evaluation "
    "repeatable by the team.",
}
GENERIC_DELIVERABLE = "A first measurable result in the areas this brief lists, agreed in week one."

# Intake answers that shape the brief: (question key, answer key) → a sentence.
INTAKE_SUMMARY = {
    ("business-goal", "new-product"): "The goal is a new AI-powered product or feature.",
    ("business-goal", "improve-model"): "The goal is a more accurate, more scalable version "
    "of a predictive model we already run.",
    ("technical-risk", "integration-reliability"): "The hard part is making many services, "
    "APIs and data sources work together dependably.",
    ("technical-risk", "model-quality"): "The hard part is getting the model accurate and "
    "keeping it stable in production.",
    ("data-situation", "retrieval"): "Our documents and data are used through retrieval "
    "rather than to train a model.",
    ("data-situation", "custom-training"): "Our proprietary data needs models trained on it; "
    "off-the-shelf ones fall short.",
    ("timeline", "ship-fast"): "We need to ship quickly.",
    ("timeline", "room-to-experiment"): "There is room to experiment and train custom models.",
}
INTAKE_DELIVERABLE = {
    ("ninety-day-deliverable", "working-prototype"): "A working prototype or first version "
    "of the application, in users' hands, that the team can build on.",
    ("ninety-day-deliverable", "metric-improvement"): "A key model metric measurably improved "
    "against today's baseline, for example a 10% lower error rate, in production.",
}

# The built-in interview plans: (key, name, minutes, focus competency keys).
PLANS = {
    AI: [
        ("screen", "Technical screen", 45, ["software-engineering", "integration-rag"]),
        (
            "system-design",
            "System design",
            60,
            ["system-architecture", "reliability-security", "cost-performance"],
        ),
        (
            "build-exercise",
            "Build exercise: a retrieval-augmented feature",
            90,
            ["integration-rag", "system-architecture", "software-engineering"],
        ),
        (
            "production",
            "Running it in production",
            60,
            ["cloud-deployment", "reliability-security", "cost-performance"],
        ),
    ],
    ML: [
        ("screen", "Technical screen", 45, ["modelling", "research-maths"]),
        (
            "modelling-deep-dive",
            "Modelling deep-dive",
            75,
            ["modelling", "evaluation", "model-optimisation"],
        ),
        (
            "data-exercise",
            "Data and evaluation exercise",
            90,
            ["data-pipelines", "evaluation"],
        ),
        (
            "production-ml",
            "Production ML",
            60,
            ["mlops", "model-optimisation", "data-pipelines"],
        ),
    ],
}

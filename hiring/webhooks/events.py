"""The webhook vocabulary: event types and headers, a public contract that receivers
switch on. Imports nothing of ours, so every layer may use it."""

EVENT_TYPES = {
    "scorecard.submitted": "An interviewer submitted a scorecard.",
    "scorecard.revised": "A submitted scorecard was corrected.",
    "scorecard.overdue": "A draft scorecard passed its due date.",
    "interview.feedback_complete": "Every interviewer of an interview has submitted.",
    "application.feedback_complete": "Every interview of an application is complete.",
    "application.decided": "A hiring lead or recruiter recorded a decision on an application.",
    "candidate.erased": "A candidate was erased (their id and when; nothing else).",
}

EVENT_ID_HEADER = "Scorecards-Event-Id"
EVENT_TYPE_HEADER = "Scorecards-Event-Type"
ATTEMPT_HEADER = "Scorecards-Delivery-Attempt"
SIGNATURE_HEADER = "Scorecards-Signature"
USER_AGENT = "Scorecards-Webhooks/1"

"""Role intake: the questions, their answers, and each completed intake."""

from django.conf import settings
from django.db import models

from hiring.models.profiles import Level


class IntakeQuestionManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class IntakeQuestion(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    text = models.CharField(max_length=300)
    help_text = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = IntakeQuestionManager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text

    def natural_key(self):
        return (self.key,)


class IntakeAnswerManager(models.Manager):
    def get_by_natural_key(self, question_key, key):
        return self.get(question__key=question_key, key=key)


class IntakeAnswer(models.Model):
    question = models.ForeignKey(IntakeQuestion, on_delete=models.CASCADE, related_name="answers")
    key = models.SlugField(max_length=60)
    text = models.CharField(max_length=300)
    points_to = models.SlugField(
        max_length=60, blank=True, help_text="Profile slug this answer points to; empty = not sure."
    )
    implication = models.TextField(blank=True, help_text="One line on what this answer implies.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = IntakeAnswerManager()

    class Meta:
        ordering = ["question", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="intake_answer_key_unique"),
        ]

    def __str__(self):
        return self.text

    def natural_key(self):
        return (*self.question.natural_key(), self.key)

    natural_key.dependencies = ["hiring.intakequestion"]


class RoleIntake(models.Model):
    """A completed intake and the recommendation it produced, kept for the record."""

    answers = models.JSONField(help_text="Question key → answer key.")
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.MID)
    recommendation = models.CharField(max_length=20)
    strength = models.FloatField()
    explanation = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Intake {self.pk}: {self.recommendation}"

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HiringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hiring"
    verbose_name = "Hiring"

    def ready(self):
        # Models (and so the services) can be imported only once the app is ready.
        from hiring.services.people import grant_recruiter_permissions

        # Permissions are created after migrations, so grant them once they exist.
        post_migrate.connect(grant_recruiter_permissions, sender=self)

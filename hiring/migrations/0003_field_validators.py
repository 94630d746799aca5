# Field rules as validator classes (hiring.validators): no change to the tables.

import hiring.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hiring', '0002_create_groups'),
    ]

    operations = [
        migrations.AlterField(
            model_name='application',
            name='external_id',
            field=models.CharField(blank=True, max_length=120, null=True, unique=True, validators=[hiring.validators.ExternalIdValidator()]),
        ),
        migrations.AlterField(
            model_name='candidate',
            name='external_id',
            field=models.CharField(blank=True, max_length=120, null=True, unique=True, validators=[hiring.validators.ExternalIdValidator()]),
        ),
        migrations.AlterField(
            model_name='interview',
            name='external_id',
            field=models.CharField(blank=True, max_length=120, null=True, unique=True, validators=[hiring.validators.ExternalIdValidator()]),
        ),
        migrations.AlterField(
            model_name='role',
            name='external_id',
            field=models.CharField(blank=True, max_length=120, null=True, unique=True, validators=[hiring.validators.ExternalIdValidator()]),
        ),
        migrations.AlterField(
            model_name='webhookendpoint',
            name='events',
            field=models.JSONField(default=list, help_text='Event types this endpoint receives.', validators=[hiring.validators.WebhookEventsValidator()]),
        ),
        migrations.AlterField(
            model_name='webhookendpoint',
            name='secret',
            field=models.CharField(help_text='Shared secret for the HMAC signature.', max_length=200, validators=[hiring.validators.WebhookSecretValidator()]),
        ),
        migrations.AlterField(
            model_name='webhookendpoint',
            name='url',
            field=models.CharField(max_length=500, validators=[hiring.validators.WebhookUrlValidator()]),
        ),
    ]

from django.db import models


class Note(models.Model):
    text = models.CharField(max_length=200)


class HookCall(models.Model):
    """Written by the module's on_enable/on_disable hooks, in the tenant's schema."""

    event = models.CharField(max_length=20)

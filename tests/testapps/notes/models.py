from django.db import models


class Note(models.Model):
    text = models.CharField(max_length=200)


class HookCall(models.Model):
    """Written by the module's on_enable/on_disable hooks, in the tenant's schema."""

    event = models.CharField(max_length=20)


class NoteTally(models.Model):
    """How often the `notes.tally` handler applied the creation of a note (should be once)."""

    note_id = models.IntegerField(unique=True)
    applied = models.IntegerField(default=0)


class HandlerFault(models.Model):
    """Makes a test handler fail on its first `fail_times` attempts."""

    handler = models.CharField(max_length=100, unique=True)
    fail_times = models.IntegerField(default=0)

from django.db import models


class Note(models.Model):
    text = models.CharField(max_length=200)
    # For the index module's tests: a note is projected to a search document while published.
    title = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, blank=True)  # blank: the tenant's default
    category = models.CharField(max_length=100, blank=True)
    tags = models.CharField(max_length=200, blank=True)  # comma-separated
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    availability = models.CharField(max_length=20, blank=True)
    published = models.BooleanField(default=True)


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

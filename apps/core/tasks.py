"""Celery tasks of the core module."""

from celery import shared_task
from django.db import connection


@shared_task(name="core.ping")
def ping() -> str:
    """Answer with the schema the task ran in: a worker check, and proof of tenant routing."""
    return connection.schema_name

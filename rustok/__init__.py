"""RusToK kernel: settings, URL confs, Celery app, module registry and the shared API plumbing."""

from rustok.celery import app as celery_app

__all__ = ["celery_app"]

from django.apps import AppConfig


class DigestConfig(AppConfig):
    name = "tests.testapps.digest"
    label = "digest"

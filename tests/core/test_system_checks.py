"""Django's system checks pass: `manage.py` commands (migrate, run) refuse to start otherwise."""

from django.core.management import call_command


def test_the_system_checks_find_no_error():
    call_command("check", fail_level="ERROR")

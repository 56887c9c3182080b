#!/usr/bin/env python
"""Django's command-line utility for RusToK (`python manage.py rustok --help`).

Variables the environment does not set come from `.rustok/env`, the record `make run` writes of
the servers it found or started (rustok.local_env), so commands reach the same database and Redis.
"""

import os
import sys


def main() -> None:
    from rustok import local_env

    local_env.apply()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

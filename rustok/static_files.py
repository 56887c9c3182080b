"""The static files' storage: whitenoise's, whose addresses are kept per process.

Every storefront page asks for the same few addresses (its style sheets and scripts, through
`{% static %}`), and building one costs more than the rest of its tag. An address depends only
on the name and the storage's settings (a new storage, with settings changed, starts afresh).
"""

from __future__ import annotations

from whitenoise.storage import CompressedStaticFilesStorage

MAX_KEPT = 1000  # addresses kept; beyond, the memory starts afresh


class StaticFilesStorage(CompressedStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name):
        found = self._addresses.get(name)
        if found is None:
            found = super().url(name)
            if len(self._addresses) >= MAX_KEPT:
                self._addresses.clear()
            self._addresses[name] = found
        return found

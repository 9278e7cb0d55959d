"""Exceptions raised by the store and drift detection (the CLI turns each into one line).

Every message names the thing that is wrong (run id, URL, field), so that the caller can act
without reading a traceback.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class: the store cannot do what was asked."""


class StoreOpenError(StoreError):
    """The database cannot be opened or migrated (bad URL, unreachable server, bad file)."""


class InvalidObservation(StoreError, ValueError):
    """An observation or assertion fails validation at the storage boundary; nothing written."""


class RunNotFound(StoreError, LookupError):
    """No crawl run has the given id."""


class RunStateError(StoreError):
    """A run is in the wrong state for the operation (finished, incomplete, still running)."""


class NothingToCompare(StoreError):
    """Drift needs two complete runs and there are fewer."""

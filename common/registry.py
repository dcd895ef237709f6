"""Typed registries: how a lower app learns about the content of higher apps without importing them.

The lower app owns the registry and says what an entry is (a small frozen dataclass);
each higher app registers its entries in its `AppConfig.ready()`, so an entry exists
as soon as Django is set up, whatever module happened to be imported first. Keys are
model classes (a model instance finds its class's entry) or, where the thing named
is not a model (a notification kind, a live-board kind), a short string the owner
documents. Registering the same key twice with another value is a programming error.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Generic, TypeVar

from django.db import models

Key = TypeVar("Key")
Entry = TypeVar("Entry")


class Registry(Generic[Key, Entry]):
    """A mapping filled once at start-up and read by every request thread (reads need no lock)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[Key, Entry] = {}
        self._lock = threading.Lock()

    def register(self, key: Key, entry: Entry) -> Entry:
        """Add an entry. Registering the same entry again is a no-op (ready() may run twice in tests)."""
        with self._lock:
            existing = self._entries.get(key)
            if existing is not None and existing != entry:
                raise ValueError(f"{self.name}: {key!r} is already registered with another entry")
            self._entries[key] = entry
        return entry

    def get(self, key) -> Entry | None:
        """The entry for `key`; for model registries an instance (or a deferred-field subclass) finds its model."""
        if isinstance(key, models.Model) or isinstance(key, type) and issubclass(key, models.Model):
            key = key._meta.concrete_model
        return self._entries.get(key)

    def __getitem__(self, key) -> Entry:
        entry = self.get(key)
        if entry is None:
            raise LookupError(f"{self.name}: nothing is registered for {key!r}")
        return entry

    def __contains__(self, key) -> bool:
        return self.get(key) is not None

    def __iter__(self) -> Iterator[Key]:
        return iter(list(self._entries))

    def items(self) -> list[tuple[Key, Entry]]:
        return list(self._entries.items())

    def values(self) -> list[Entry]:
        return list(self._entries.values())

"""Serializer helpers shared by the apps' APIs."""

from __future__ import annotations

import copy
import threading

_lock = threading.Lock()


class BuiltFieldsCacheMixin:
    """A ModelSerializer that builds its fields from the model once per class, not once per instance.

    DRF's ModelSerializer.get_fields() maps every model field to a serializer field (field_mapping, build_field) each
    time a serializer is made: a quarter of the CPU of GET /auth/me in the load bench's profile. The result depends only
    on the class (its Meta and declared fields), so it is built once and deep-copied per instance, as DRF itself does
    with declared fields.
    """

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_built_fields")
        if built is None:
            with _lock:
                built = cls.__dict__.get("_built_fields")
                if built is None:
                    built = super().get_fields()  # type: ignore[misc]
                    cls._built_fields = built
        return copy.deepcopy(built)

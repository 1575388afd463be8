"""Serializer helpers shared by the apps' APIs."""

from __future__ import annotations

import copy
import threading

from rest_framework.serializers import BaseSerializer

_lock = threading.Lock()


def clone_field(field):
    """A fresh, unbound copy of a serializer field, for one serializer instance.

    DRF deep-copies fields by re-running their __init__ with the original arguments (Field.__deepcopy__): per field
    per serializer, a fifth of GET /auth/me's CPU in the load bench's profile. A leaf field keeps nothing of its
    own but what bind() sets (field_name, parent, source, source_attrs, label), and bind() assigns those on the
    copy, so a shallow copy of an unbound field is enough; fields that hold fields (nested serializers, ListField,
    DictField, many-related fields) bind their children to themselves, and are deep-copied as DRF does.
    """
    if isinstance(field, BaseSerializer) or hasattr(field, "child") or hasattr(field, "child_relation"):
        return copy.deepcopy(field)
    return copy.copy(field)


class BuiltFieldsCacheMixin:
    """A serializer that builds its fields once per class, not once per instance.

    DRF's ModelSerializer.get_fields() maps every model field to a serializer field (field_mapping, build_field) each
    time a serializer is made: a quarter of the CPU of GET /auth/me in the load bench's profile; a plain Serializer
    deep-copies its declared fields. The result depends only on the class (its Meta and declared fields), so it is
    built once, and each instance gets clones (clone_field) of the unbound prototypes.
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
        return {name: clone_field(field) for name, field in built.items()}

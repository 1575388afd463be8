import pytest

from ingredients import knowledge
from ingredients.models import Ingredient

_RECORDS: list = []


def _records():
    if not _RECORDS:
        _RECORDS.extend(knowledge.build_records())
    return _RECORDS


@pytest.fixture(scope="module")
def _kb_session(django_db_setup, django_db_blocker):
    """Loaded (committed) once per test module, and removed after it: rows committed outside the tests'
    transactions must not leak into other apps' tests, which build their own small knowledge bases."""
    with django_db_blocker.unblock():
        loaded = not Ingredient.objects.exists()
        if loaded:
            knowledge.load(records=_records())
    yield
    if loaded:
        with django_db_blocker.unblock():
            Ingredient.objects.all().delete()


@pytest.fixture
def kb(_kb_session, db):
    """The bundled knowledge base, loaded once per session (reloaded if a transactional test flushed it)."""
    if not Ingredient.objects.exists():
        knowledge.load(records=_records())
    return Ingredient.objects

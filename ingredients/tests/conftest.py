import pytest

from ingredients import knowledge
from ingredients.models import Ingredient

_RECORDS: list = []


def _records():
    if not _RECORDS:
        _RECORDS.extend(knowledge.build_records())
    return _RECORDS


@pytest.fixture(scope="session")
def _kb_session(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if not Ingredient.objects.exists():
            knowledge.load(records=_records())


@pytest.fixture
def kb(_kb_session, db):
    """The bundled knowledge base, loaded once per session (reloaded if a transactional test flushed it)."""
    if not Ingredient.objects.exists():
        knowledge.load(records=_records())
    return Ingredient.objects

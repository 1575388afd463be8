import pytest
from django.core.management import call_command


@pytest.fixture
def roles(db):
    call_command("create_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def superuser(db):
    from .factories import staff_user

    return staff_user(superuser=True)


@pytest.fixture
def admin_client_for(client):
    """admin_client_for(user) -> a Django test client logged in as that user."""

    def make(user):
        client.force_login(user)
        return client

    return make

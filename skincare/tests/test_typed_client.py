"""A typed client generated from /api/schema/ (openapi-python-client, from PyPI) works against the real server.

The generated models parse every answer strictly (`from_dict`): a response that does not match its schema (a page where
one object was declared, a missing field) breaks the walk, as it would break a mobile client built the same way.
The walk: register → upload a selfie (multipart) → the result → generate routines → add to the shelf → list both.
"""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.tests import images

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def generated_client(client, tmp_path, monkeypatch):
    schema = tmp_path / "schema.json"
    schema.write_bytes(client.get("/api/schema/?format=json").content)
    config = tmp_path / "config.yml"
    config.write_text(
        "post_hooks: []\nproject_name_override: skincare_client\npackage_name_override: skincare_client\n"
        # The face map is an SVG picture: the generator reads it as bytes, like any binary body.
        "content_type_overrides:\n  image/svg+xml: application/octet-stream\n"
    )
    out = tmp_path / "skincare_client"
    result = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(schema), "--meta", "none", "--output-path", str(out)]
        + ["--config", str(config), "--fail-on-warning"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "skincare_client" or m.startswith("skincare_client.")]:
        del sys.modules[name]
    return importlib.import_module("skincare_client")


def _module(pkg, dotted: str):
    return importlib.import_module(f"{pkg.__name__}.{dotted}")


def test_a_client_generated_from_the_schema_walks_register_upload_result_routine_shelf(generated_client, live_server):
    pkg = generated_client
    models = _module(pkg, "models")
    types = _module(pkg, "types")
    anonymous = pkg.Client(base_url=live_server.url, raise_on_unexpected_status=True)

    # Register: 201 with the user and a token pair (plus the original mobile client's names), parsed strictly.
    register = _module(pkg, "api.auth.auth_register_create")
    auth = register.sync(
        client=anonymous,
        body=models.RegisterRequest(email="typed@example.com", password="Typed-Client-2026!", first_name="Ty"),
    )
    assert isinstance(auth, models.SeedAuth), auth
    assert auth.access_token == auth.access and auth.user_id == str(auth.user.id)
    assert auth.user.email == "typed@example.com"
    api = pkg.AuthenticatedClient(base_url=live_server.url, token=auth.access, raise_on_unexpected_status=True)

    # Upload a real face photo as multipart: 202 with the analysis id.
    upload = _module(pkg, "api.analysis.analysis_upload")
    photo = types.File(payload=io.BytesIO(images.face_jpeg()), file_name="selfie.jpg", mime_type="image/jpeg")
    queued = upload.sync(client=api, body=models.UploadRequest(file=photo, consent=True))
    assert isinstance(queued, models.UploadResponse), queued
    assert queued.status in ("queued", "done")

    # The result (eager Celery in tests: the analysis ran before the upload answered).
    analysis = _module(pkg, "api.analysis.analysis_retrieve").sync(client=api, id=queued.id)
    assert isinstance(analysis, models.Analysis), analysis
    assert analysis.status == "done" and analysis.overall_score is not None
    assert {c.key for c in analysis.concerns} >= {"acne", "redness", "wrinkles"}
    history = _module(pkg, "api.analysis.analysis_history").sync(client=api)
    assert history.count == 1 and history.results[0].id == queued.id

    # Routines from the profile and the result (the route also answers the original mobile client's names), then
    # the paginated list.
    created = _module(pkg, "api.routine.routine_create_create").sync(
        client=api, body=models.SeedRoutineCreateRequest(period=models.PeriodEnum("both"))
    )
    assert isinstance(created, models.SeedRoutineCreateResponse), created
    assert sorted(r.period for r in created.routines) == ["am", "pm"] and all(r.steps for r in created.routines)
    page = _module(pkg, "api.routine.routine_my_routines_list").sync(client=api)
    assert isinstance(page, models.PaginatedRoutineList), page
    assert page.count == 2 and {r.id for r in page.results} == {r.id for r in created.routines}

    # The shelf: add a product by name, then the paginated list with its freshness.
    item = _module(pkg, "api.shelf.shelf_create").sync(
        client=api, body=models.ShelfItemInputRequest(name="Night cream", brand="Acme", pao_months=12)
    )
    assert isinstance(item, models.ShelfItem), item
    shelf = _module(pkg, "api.shelf.shelf_list").sync(client=api)
    assert isinstance(shelf, models.PaginatedShelfItemList), shelf
    assert shelf.count == 1 and shelf.results[0].id == item.id and shelf.results[0].name == "Night cream"

"""The ingredients admin's own CSV pages: an import leaves an audit entry per created or changed ingredient (fields
before and after) and is all or nothing; an export is audited; both need the model's permissions."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import UserFactory
from ingredients import csvio
from ingredients.models import Ingredient
from skincare.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _upload(client, text: str, name: str = "kb.csv"):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("admin:ingredients_ingredient_import"), {"csv_file": file})


def _kb():
    glycerin = Ingredient.objects.create(inci_name="Glycerin", irritancy=0, sources={"inci_name": "test"})
    water = Ingredient.objects.create(inci_name="Aqua", irritancy=0, sources={"inci_name": "test"})
    return glycerin, water


def _edited_export(edit) -> str:
    """The admin's export format, with rows changed by `edit(rows)`."""
    rows = list(csv.DictReader(io.StringIO(csvio.export_rows())))
    rows = edit(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csvio.COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_an_import_is_audited_per_created_or_changed_ingredient(admin_client, admin_user):
    # Given two ingredients
    _kb()

    # When staff import a CSV that changes Glycerin, repeats Aqua unchanged and adds Squalane
    def edit(rows):
        for row in rows:
            if row["inci_name"] == "Glycerin":
                row["irritancy"] = "2"
        return [*rows, {**rows[0], "inci_name": "Squalane"}]

    response = _upload(admin_client, _edited_export(edit))
    assert response.status_code == 302
    # Then one entry for the change (irritancy 0 → 2, so the hazard score is recomputed) and one for the new
    # ingredient; none for the unchanged row (the import's own stamp in `sources` is not a change)
    entries = {e.object_repr: e for e in AuditEntry.objects.filter(name="csv_import")}
    assert set(entries) == {"Glycerin", "Squalane"}
    assert entries["Glycerin"].action == "change"
    assert set(entries["Glycerin"].changes) == {"irritancy", "hazard_score"}
    assert entries["Glycerin"].changes["irritancy"] == [0, 2]
    assert entries["Glycerin"].actor_email == admin_user.email and "kb.csv" in entries["Glycerin"].detail
    assert entries["Squalane"].action == "add"
    assert Ingredient.objects.get(inci_name="Glycerin").irritancy == 2


def test_a_failed_import_changes_nothing_and_records_nothing(admin_client):
    _kb()
    csv_text = "inci_name,irritancy\nGlycerin,3\nNewOne,1\nBroken,9\n"  # the third row is invalid (0-5)
    response = _upload(admin_client, csv_text)
    assert response.status_code == 200
    assert "nothing was changed" in response.content.decode()
    assert Ingredient.objects.get(inci_name="Glycerin").irritancy == 0
    assert not Ingredient.objects.filter(inci_name="NewOne").exists()
    assert not AuditEntry.objects.exists()


def test_the_full_export_is_audited(admin_client, admin_user):
    _kb()
    response = admin_client.get(reverse("admin:ingredients_ingredient_export"))
    assert response.status_code == 200 and response.content.decode().startswith("inci_name,")
    entry = AuditEntry.objects.get(action="export")
    assert (entry.name, entry.object_repr, entry.actor_email) == (
        "ingredients_csv_export",
        "2 ingredients",
        admin_user.email,
    )


def test_csv_pages_need_the_ingredient_permissions(client):
    _kb()
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_ingredient"))
    nobody = UserFactory(is_staff=True)
    client.force_login(nobody)
    assert client.get(reverse("admin:ingredients_ingredient_export")).status_code == 403
    assert client.get(reverse("admin:ingredients_ingredient_import")).status_code == 403
    client.force_login(viewer)
    assert client.get(reverse("admin:ingredients_ingredient_export")).status_code == 200
    assert _upload(client, "inci_name,irritancy\nGlycerin,3\n").status_code == 403
    assert Ingredient.objects.get(inci_name="Glycerin").irritancy == 0

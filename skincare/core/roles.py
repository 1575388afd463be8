"""Staff roles as Django groups. `manage.py create_roles` writes them; run it after every migrate (idempotent).

A role lists permissions as "app_label.codename". Permissions of apps that have no such model yet are skipped
(and reported), so the command works while the project grows; re-running it picks them up. A person needs
`is_staff` as well as a group to enter the admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction

SUPPORT = "support"
MODERATOR = "moderator"
DATA_SCIENTIST = "data scientist"
DERMATOLOGIST = "dermatologist"
ADMIN = "admin"

ROLES: dict[str, list[str]] = {
    # Helps people with their account: sees and fixes users and profiles; looks at analyses, changes none.
    SUPPORT: [
        "accounts.view_user",
        "accounts.change_user",
        "accounts.view_profile",
        "accounts.change_profile",
        "accounts.view_consent",
        "accounts.view_notification",
        "analysis.view_skinanalysis",
        "analysis.view_lesion",
    ],
    # Handles reports about public share links: hides and restores shares, closes reports.
    MODERATOR: [
        "progress.view_sharelink",
        "progress.change_sharelink",
        "progress.view_sharereport",
        "progress.change_sharereport",
    ],
    # Looks after the models: versions, feedback (labels), training data export, monitoring and analytics.
    DATA_SCIENTIST: [
        "analysis.view_modelversion",
        "analysis.add_modelversion",
        "analysis.change_modelversion",
        "analysis.view_feedback",
        "analysis.view_skinanalysis",
        "analysis.view_lesion",
        "core.view_analytics",
        "core.view_ml_monitoring",
        "core.manage_model_versions",
        "core.export_training_data",
    ],
    # Consults: publishes their own availability, sees the consultations booked with them and writes notes (the
    # admin and the dermatologist page show a dermatologist only their own rows; consultations/admin.py).
    DERMATOLOGIST: [
        "consultations.view_dermatologistprofile",
        "consultations.change_dermatologistprofile",
        "consultations.view_availabilityslot",
        "consultations.add_availabilityslot",
        "consultations.change_availabilityslot",
        "consultations.view_consultation",
        "consultations.change_consultation",
    ],
}
ALL = "*"
ROLES[ADMIN] = [ALL]  # every permission that exists when the command runs


@dataclass
class RoleResult:
    name: str
    created: bool
    permissions: int
    missing: list[str] = field(default_factory=list)


def _resolve(codes: list[str]) -> tuple[list[Permission], list[str]]:
    if codes == [ALL]:
        return list(Permission.objects.all()), []
    wanted = {tuple(code.split(".", 1)) for code in codes}
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(codename__in={c for _, c in wanted})
        if (p.content_type.app_label, p.codename) in wanted
    }
    missing = sorted(f"{app}.{code}" for app, code in wanted - set(found))
    return list(found.values()), missing


@transaction.atomic
def roles_create() -> list[RoleResult]:
    """Create or update every role group so it has exactly its permissions (those that exist)."""
    results = []
    for name, codes in ROLES.items():
        group, created = Group.objects.get_or_create(name=name)
        permissions, missing = _resolve(codes)
        group.permissions.set(permissions)
        results.append(RoleResult(name=name, created=created, permissions=len(permissions), missing=missing))
    return results

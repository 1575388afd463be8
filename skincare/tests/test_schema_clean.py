from django.core.management import call_command


def test_openapi_schema_is_valid_and_free_of_warnings(tmp_path, db):
    """Stable component names for clients: any drf-spectacular warning fails this test."""
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/auth/login" in text and "TrafficLightEnum" in text

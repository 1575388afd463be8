import pytest

from recommendations import selectors


@pytest.fixture(autouse=True)
def _fresh_recommender_cache(settings, tmp_path):
    settings.ML_MODELS_DIR = tmp_path / "models"
    selectors.reset_cache()
    yield
    selectors.reset_cache()

import pytest

from recommendations import selectors


@pytest.fixture(autouse=True)
def _fresh_recommender_cache(settings, tmp_path):
    settings.ML_MODELS_DIR = tmp_path / "models"
    settings.RECOMMENDATIONS_STATE_TTL = 0  # every request re-checks the catalogue and the model
    selectors.reset_cache()
    yield
    selectors.reset_cache()

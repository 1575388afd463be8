"""OCR on labels rendered with Pillow (DejaVuSans): clean, rotated, noisy + JPEG, small print.
The known ingredient list must come back: at least 95% of the names matched on each."""

import pytest

from ingredients import ocr, services
from ingredients.tests.labels import LABEL_NAMES, render_label
from skincare.core.errors import DomainError

pytestmark = pytest.mark.django_db

CONDITIONS = {
    "clean": {},
    "rotated": {"rotate": 4.0},
    "rotated_other_way": {"rotate": -3.0, "size": 24},
    "noisy_jpeg": {"noise": 25.0, "jpeg_quality": 35},
    "small_print": {"size": 11},
    "close_up": {"size": 110, "width_chars": 30},
    "light_on_dark": {"invert": True, "rotate": 2.0},
    "uneven_light_sheared_jpeg": {"shade": True, "shear": 0.04, "jpeg_quality": 60, "size": 26},
}


@pytest.mark.parametrize("condition", CONDITIONS)
def test_known_list_comes_back(kb, condition):
    image = render_label(LABEL_NAMES, **CONDITIONS[condition])
    text = ocr.read_label(image)
    result = services.assess_ingredients(text=text)
    matched = {i["ingredient"]["inci_name"] for i in result["ingredients"] if i["ingredient"]}
    found = [n for n in LABEL_NAMES if n in matched]
    assert len(found) / len(LABEL_NAMES) >= 0.95, (condition, sorted(set(LABEL_NAMES) - matched), text)
    # nothing outside the label is invented: every match is a name that is printed
    assert matched <= set(LABEL_NAMES)


def test_deskew_finds_the_angle():
    import numpy as np

    grey = ocr.decode(render_label(LABEL_NAMES, rotate=5.0))
    angle = ocr.skew_angle(ocr._binarize(grey))
    assert abs(angle + 5.0) <= 1.0 or abs(angle - 5.0) <= 1.0
    assert isinstance(np.float64(angle), float)


def test_small_text_is_upscaled():
    grey = ocr.decode(render_label(LABEL_NAMES, size=11))
    assert ocr.upscale_factor(ocr._binarize(grey)) >= 2.0
    big = ocr.decode(render_label(LABEL_NAMES, size=40))
    assert ocr.upscale_factor(ocr._binarize(big)) == 1.0
    huge = ocr.decode(render_label(LABEL_NAMES, size=120, width_chars=30))
    assert ocr.upscale_factor(ocr._binarize(huge)) < 1.0


def test_errors():
    with pytest.raises(DomainError) as exc:
        ocr.read_label(b"GIF89a-not-really")
    assert exc.value.code == "not_an_image"

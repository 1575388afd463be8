from django.conf import settings
from django.utils.translation import gettext_lazy as _


def site(request):
    return {"SITE_URL": settings.SITE_URL, "DISCLAIMER": DISCLAIMER}


DISCLAIMER = _(
    "Cosmetic guidance, not a medical diagnosis. For a skin condition that worries you, see a dermatologist."
)

from django.conf import settings


def site(request):
    return {"SITE_URL": settings.SITE_URL, "DISCLAIMER": DISCLAIMER}


DISCLAIMER = "Cosmetic guidance, not a medical diagnosis. For a skin condition that worries you, see a dermatologist."

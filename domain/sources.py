"""Where each rule comes from. Every rule in this package names one of these, and pages and the API
show it next to the rule the person meets."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_


@dataclass(frozen=True)
class Source:
    key: str
    citation: str  # how it is cited (not translated: a reference)
    summary: str  # what it says, in words for people
    url: str = ""

    def as_dict(self) -> dict:
        return {"key": self.key, "citation": self.citation, "summary": self.summary, "url": self.url}


AAD_RETINOIDS = Source(
    "aad_retinoids",
    "American Academy of Dermatology, patient guidance on retinoids (retinol, adapalene, tretinoin)",
    N_("Start a retinoid every second or third night and increase as your skin tolerates it; use it at night."),
    "https://www.aad.org/public/everyday-care/skin-care-secrets/anti-aging/retinoid-retinol",
)
AAD_EXFOLIATION = Source(
    "aad_exfoliation",
    "American Academy of Dermatology, how to safely exfoliate at home",
    N_(
        "Exfoliate a few times a week at most, less for dry or sensitive skin, and not on the same night as a retinoid."
    ),
    "https://www.aad.org/public/everyday-care/skin-care-basics/care/exfoliate",
)
AAD_SUNSCREEN = Source(
    "aad_sunscreen",
    "American Academy of Dermatology, how to select a sunscreen",
    N_("A broad-spectrum sunscreen of SPF 30 or higher every morning; reapply every 2 hours outdoors."),
    "https://www.aad.org/public/everyday-care/sun-protection/shade-clothing-sunscreen/how-to-select-sunscreen",
)
AAD_NEW_PRODUCTS = Source(
    "aad_new_products",
    "American Academy of Dermatology, how to test skin care products / sensitive skin",
    N_("Add one new product at a time and wait a couple of weeks before adding the next."),
    "https://www.aad.org/public/everyday-care/skin-care-basics/care/test-skin-care-products",
)
SKIN_CYCLING = Source(
    "skin_cycling",
    "Skin cycling (a dermatologist-popularised rota: exfoliation night, retinoid night, two recovery nights)",
    N_("Alternate exfoliation nights and retinoid nights with recovery nights of cleanser and moisturiser only."),
)
CHIEN_2016 = Source(
    "chien_2016",
    "Chien AL et al., Treatment of Acne in Pregnancy, J Am Board Fam Med 2016;29(2):254-262",
    N_(
        "Avoid retinoids and hydroquinone during pregnancy; azelaic acid is considered acceptable; sources "
        "differ on salicylic acid and benzoyl peroxide at leave-on strengths."
    ),
    "https://doi.org/10.3122/jabfm.2016.02.150165",
)
PAIRINGS = Source(
    "pairings",
    "Dermatology reviews of active-ingredient combinations (DOMAIN.md)",
    N_(
        "Keep retinoids apart from exfoliating acids and from benzoyl peroxide, and benzoyl peroxide apart from "
        "vitamin C and hydroquinone; several exfoliating acids together raise irritation."
    ),
)
REDUNDANCY = Source(
    "redundancy",
    "Dermatology practice (DOMAIN.md): redundancy is not a benefit",
    N_("The same active in several layered products adds irritation, not effect."),
)
VITAMIN_C_AM = Source(
    "vitamin_c_am",
    "Dermatology practice (DOMAIN.md): vitamin C is usually applied in the morning, under sunscreen",
    N_("Vitamin C is an antioxidant that backs up sunscreen, so it goes on in the morning."),
)
ROUTINE_ORDER = Source(
    "routine_order",
    "Dermatology practice (DOMAIN.md): cleanse, tone, treat, eye, moisturise, protect",
    N_("Thinnest to thickest: cleanse, tone, treat, eye, moisturise, and sunscreen last in the morning."),
)
EU_1223_2009 = Source(
    "eu_1223_2009",
    "EU Cosmetics Regulation 1223/2009 and the CosIng annexes (on-the-list, CC BY 4.0)",
    N_("The label names ingredients by their INCI names; annexes list what is prohibited or restricted."),
)
KB_EDITORS = Source(
    "kb_editors",
    "Skincare KB editors, from the CosIng INCI inventory and CIR/SCCS summaries",
    N_("Which ingredients make an active class, curated from the EU inventory and safety opinions."),
)
UPLOADS = Source(
    "uploads",
    "ARCHITECTURE.md, data flow of an upload",
    N_("Photos are checked by content, size and pixels, turned upright and stripped of metadata such as GPS."),
)
PROJECT = Source("project", "This project's product rules", N_("A product rule of this service."))

ALL: tuple[Source, ...] = (
    AAD_RETINOIDS,
    AAD_EXFOLIATION,
    AAD_SUNSCREEN,
    AAD_NEW_PRODUCTS,
    SKIN_CYCLING,
    CHIEN_2016,
    PAIRINGS,
    REDUNDANCY,
    VITAMIN_C_AM,
    ROUTINE_ORDER,
    EU_1223_2009,
    KB_EDITORS,
    UPLOADS,
    PROJECT,
)
BY_KEY = {s.key: s for s in ALL}

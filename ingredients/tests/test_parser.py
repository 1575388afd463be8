"""The INCI parser and matcher on tricky real-world label texts (29 cases)."""

import pytest

from ingredients import inci, services

pytestmark = pytest.mark.django_db

# (label text as printed or as OCR reads it, the INCI names the knowledge base must come back with)
CASES = [
    pytest.param(
        "Ingredients: Aqua (Water), Glycerin, Niacinamide, Phenoxyethanol.",
        ["Aqua", "Glycerin", "Niacinamide", "Phenoxyethanol"],
        id="simple-parentheses",
    ),
    pytest.param(
        "INCI: AQUA/WATER/EAU, BUTYLENE GLYCOL, SODIUM HYALURONATE, CARBOMER, SODIUM HYDROXIDE",
        ["Aqua", "Butylene Glycol", "Sodium Hyaluronate", "Carbomer", "Sodium Hydroxide"],
        id="caps-slashes",
    ),
    pytest.param(
        "Ingrédients : Aqua, Glycerin, Cetearyl Alcohol, Parfum, Limonene. Fabriqué en France.",
        ["Aqua", "Glycerin", "Cetearyl Alcohol", "Parfum", "Limonene"],
        id="french-header-trailer",
    ),
    pytest.param(
        "Inhaltsstoffe: Aqua, Glycerin, Panthenol, Allantoin, Tocopherol. Hergestellt in Deutschland",
        ["Aqua", "Glycerin", "Panthenol", "Allantoin", "Tocopherol"],
        id="german-header",
    ),
    pytest.param(
        "Ingredientes: Agua, Glycerin, Urea 10%, Lactic Acid, Sodium Lactate",
        ["Aqua", "Glycerin", "Urea", "Lactic Acid", "Sodium Lactate"],
        id="spanish-percent",
    ),
    pytest.param(
        "Ingredienti: Aqua, Squalane, Ceramide NP, Cholesterol, Phytosphingosine",
        ["Aqua", "Squalane", "Ceramide NP", "Cholesterol", "Phytosphingosine"],
        id="italian-header",
    ),
    pytest.param(
        "Our gentle formula soothes dry skin.\nIngredients: Aqua, Glycerin, Dimethicone, Panthenol.\n"
        "Directions: apply to clean skin twice daily. Avoid contact with eyes.",
        ["Aqua", "Glycerin", "Dimethicone", "Panthenol"],
        id="marketing-and-directions",
    ),
    pytest.param(
        "Ingredients: Water, Butyrospermum Parkii (Shea) Butter, Simmondsia Chinensis (Jojoba) Seed Oil, "
        "Helianthus Annuus (Sunflower) Seed Oil",
        ["Aqua", "Butyrospermum Parkii Butter", "Simmondsia Chinensis Seed Oil", "Helianthus Annuus Seed Oil"],
        id="parentheses-inside-names",
    ),
    pytest.param(
        "Ingredients: Aqua, Glycerin, Talc, Mica. May contain: CI 77891, CI 77491, CI 77492, CI 77499.",
        ["Aqua", "Glycerin", "Talc", "Mica", "Titanium Dioxide", "CI 77491", "CI 77492", "CI 77499"],
        id="may-contain",
    ),
    pytest.param(
        "Ingredients: Talc, Mica, Dimethicone [+/- CI 77891, CI 77491, CI 77007]",
        ["Talc", "Mica", "Dimethicone", "Titanium Dioxide", "CI 77491", "CI 77007"],
        id="plus-minus-brackets",
    ),
    pytest.param(
        "Ingredients: Aqua, Phenoxy-\nethanol, PEG-\n100 Stearate, Alpha-\nIsomethyl Ionone",
        ["Aqua", "Phenoxyethanol", "PEG-100 Stearate", "Alpha-Isomethyl Ionone"],
        id="hyphenation",
    ),
    pytest.param(
        "INGREDIENTS:\nAqua\nGlycerin\nNiacinamide\nZinc PCA\nXanthan Gum",
        ["Aqua", "Glycerin", "Niacinamide", "Zinc PCA", "Xanthan Gum"],
        id="one-per-line",
    ),
    pytest.param(
        "Ingredients: • Aqua • Glycerin • Sodium PCA • Betaine",
        ["Aqua", "Glycerin", "Sodium PCA", "Betaine"],
        id="bullets",
    ),
    pytest.param(
        "INGREDIENTS: AQUA, G1YCERIN, PHEN0XYETHANOL, DIRNETHICONE, NIACINAMlDE",
        ["Aqua", "Glycerin", "Phenoxyethanol", "Dimethicone", "Niacinamide"],
        id="ocr-confusions",
    ),
    pytest.param(
        "Ingredients: Aqua. Glycerin. Cetyl Alcohol. Stearic Acid. Citric Acid.",
        ["Aqua", "Glycerin", "Cetyl Alcohol", "Stearic Acid", "Citric Acid"],
        id="periods-as-commas",
    ),
    pytest.param(
        "Ingredients: Aqua, 1,2-Hexanediol, Caprylic/Capric Triglyceride, C12-15 Alkyl Benzoate",
        ["Aqua", "1,2-Hexanediol", "Caprylic/Capric Triglyceride", "C12-15 Alkyl Benzoate"],
        id="commas-in-names",
    ),
    pytest.param(
        "Ingredients: Aqua, Niacinamide (10%), Zinc PCA (1%), Salicylic Acid 2 %, Glycolic Acid < 1%",
        ["Aqua", "Niacinamide", "Zinc PCA", "Salicylic Acid", "Glycolic Acid"],
        id="percentages",
    ),
    pytest.param(
        "Ingredients: Aqua, Glycerin*, Aloe Barbadensis Leaf Juice**, Parfum°.\n*organic **from organic farming",
        ["Aqua", "Glycerin", "Aloe Barbadensis Leaf Juice", "Parfum"],
        id="footnote-marks",
    ),
    pytest.param(
        "Ingredients: Aqua, Titanium Dioxide (CI 77891), Tocopherol (Vitamin E), Parfum (Fragrance)",
        ["Aqua", "Titanium Dioxide", "Tocopherol", "Parfum"],
        id="parenthetical-synonyms",
    ),
    pytest.param(
        "Ingredients: Aqua; Glycerin; Propanediol; Sodium Benzoate; Potassium Sorbate",
        ["Aqua", "Glycerin", "Propanediol", "Sodium Benzoate", "Potassium Sorbate"],
        id="semicolons",
    ),
    pytest.param(
        "INGREDIENTS/INGRÉDIENTS: AQUA/WATER, ALCOHOL DENAT., SALICYLIC ACID, MENTHOL",
        ["Aqua", "Alcohol Denat.", "Salicylic Acid", "Menthol"],
        id="bilingual-header-denat",
    ),
    pytest.param(
        "Ingredients: Aqua, Glycerin Niacinamide, Panthenol",
        ["Aqua", "Glycerin", "Niacinamide", "Panthenol"],
        id="ocr-lost-comma",
    ),
    pytest.param(
        "ingredients: water, retinol, squalane, tocopheryl acetate",
        ["Aqua", "Retinol", "Squalane", "Tocopheryl Acetate"],
        id="lowercase-common-names",
    ),
    pytest.param(
        "Składniki: Aqua, Glycerin, Urea, Allantoin. Sposób użycia: nanieść na skórę.",
        ["Aqua", "Glycerin", "Urea", "Allantoin"],
        id="polish-header",
    ),
    pytest.param(
        "Ingredients: Aqua, Sodium Hyaluronat, Tocopheryl Acetale, Butyrospermum Parkii Butler",
        ["Aqua", "Sodium Hyaluronate", "Tocopheryl Acetate", "Butyrospermum Parkii Butter"],
        id="fuzzy-typos",
    ),
    pytest.param(
        "Ingredients: Aqua, Zinc Oxide (nano), Titanium Dioxide [nano], Dimethicone",
        ["Aqua", "Zinc Oxide", "Titanium Dioxide", "Dimethicone"],
        id="nano-qualifiers",
    ),
    pytest.param(
        "Night cream 50 ml\nlngredients: Aqua, Glycerin, Squalane, Ceramide NP",
        ["Aqua", "Glycerin", "Squalane", "Ceramide NP"],
        id="ocr-misread-header",
    ),
    pytest.param(
        "Aqua, Glycerin, Niacinamide, Phenoxyethanol",
        ["Aqua", "Glycerin", "Niacinamide", "Phenoxyethanol"],
        id="no-header",
    ),
    pytest.param(
        "Ingredients: Aqua – Glycerin – Squalane – Ceramide NP",
        ["Aqua", "Glycerin", "Squalane", "Ceramide NP"],
        id="dash-separators",
    ),
    pytest.param(
        "INCI: Aqua, Cetearyl Alcohol, Cetrimonium Chloride, Parfum, Linalool, Citronellol, Geraniol. "
        "Keep out of reach of children. Batch: 2231A",
        ["Aqua", "Cetearyl Alcohol", "Cetrimonium Chloride", "Parfum", "Linalool", "Citronellol", "Geraniol"],
        id="warnings-and-batch",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_label_texts_come_back_as_the_known_list(kb, text, expected):
    result = services.assess_ingredients(text=text)
    got = [i["ingredient"]["inci_name"] if i["ingredient"] else None for i in result["ingredients"]]
    assert got == expected
    assert result["unknown"] == []


def test_unknown_names_are_listed_never_forced(kb):
    result = services.assess_ingredients(text="Ingredients: Aqua, Sodium Lauroyl Lactylate, Zyxqu Extract")
    names = [i["ingredient"]["inci_name"] if i["ingredient"] else None for i in result["ingredients"]]
    # "Sodium Lauroyl Lactylate" is close to "Sodium Stearoyl Lactylate" but is another ingredient
    assert names[0] == "Aqua"
    assert names[1] in (None, "Sodium Lauroyl Lactylate")
    assert names[2] is None
    assert "Zyxqu Extract" in result["unknown"]
    assert result["ingredients"][2]["rating"] is None


def test_near_names_are_not_confused(kb):
    # one chemical word apart is another ingredient; a slash inside a name is not a list of alternatives
    result = services.assess_ingredients(
        names=["Glycol Stearate", "Glycol Distearate", "Styrene/Acrylates Copolymer", "Sodium Lauroyl Lactylate"]
    )
    got = [i["ingredient"]["inci_name"] for i in result["ingredients"]]
    assert got == ["Glycol Stearate", "Glycol Distearate", "Styrene/Acrylates Copolymer", "Sodium Lauroyl Lactylate"]


REAL_LISTS = [
    "Aqua/Water, Glycerin, Cetearyl Alcohol, Caprylic/Capric Triglyceride, Cetyl Alcohol, Ceteareth-20, Petrolatum, "
    "Potassium Phosphate, Ceramide NP, Ceramide AP, Ceramide EOP, Carbomer, Dimethicone, Behentrimonium Methosulfate, "
    "Sodium Lauroyl Lactylate, Sodium Hyaluronate, Cholesterol, Phenoxyethanol, Disodium EDTA, Dipotassium Phosphate, "
    "Tocopherol, Phytosphingosine, Xanthan Gum, Ethylhexylglycerin",
    "Aqua (Water), Niacinamide, Pentylene Glycol, Zinc PCA, Dimethyl Isosorbide, Tamarindus Indica Seed Gum, "
    "Xanthan Gum, Isoceteth-20, Ethoxydiglycol, Phenoxyethanol, Chlorphenesin",
    "Aqua, Paraffinum Liquidum, Cera Microcristallina, Glycerin, Lanolin Alcohol (Eucerit), Paraffin, Panthenol, "
    "Magnesium Sulfate, Decyl Oleate, Octyldodecanol, Aluminum Stearates, Citric Acid, Magnesium Stearate, Limonene, "
    "Geraniol, Hydroxycitronellal, Linalool, Citronellol, Benzyl Benzoate, Alpha-Isomethyl Ionone, Cinnamyl Alcohol, "
    "Parfum",
]


@pytest.mark.parametrize("text", REAL_LISTS)
def test_real_product_lists_are_fully_known(kb, text):
    result = services.assess_ingredients(text=text)
    assert result["unknown"] == []
    assert all(i["match_method"] in {"exact", "synonym"} for i in result["ingredients"])


def test_may_contain_items_are_marked():
    parsed = inci.parse("Ingredients: Talc, Mica. May contain: CI 77491, CI 77492").items
    assert [p.may_contain for p in parsed] == [False, False, True, True]


def test_parser_on_empty_and_garbage():
    assert inci.parse("").items == []
    assert inci.parse("%%%% 12345 ,,,, ").items == []


def test_candidates_include_outer_and_inner_readings():
    assert inci.candidates_for("Aqua (Water)")[:3] == ["Aqua (Water)", "Aqua", "Water"]
    assert "Butyrospermum Parkii Butter" in inci.candidates_for("Butyrospermum Parkii (Shea) Butter")

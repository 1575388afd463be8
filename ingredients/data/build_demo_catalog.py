"""Writes demo_products.json: the DEMO catalog (fictional brands, marked is_demo).

Run: python ingredients/data/build_demo_catalog.py. Deterministic: formulas are real-world style INCI lists
(bases typical of each category, with actives and fragrance at realistic positions), combined in a fixed
order. Brands and products are invented so no real product is misrepresented."""

from __future__ import annotations

import json
from pathlib import Path

BRANDS = [
    # name, tier (price multiplier), vegan-leaning
    ("Clinica Basics", 0.55, False),
    ("Hydrakind", 0.8, True),
    ("Pure Theory", 0.7, True),
    ("Nordic Dew", 1.0, True),
    ("Seoul Garden", 0.9, False),
    ("Lumen Lab", 1.4, True),
    ("Aurelle Paris", 2.2, False),
    ("Dermaveil", 1.2, False),
    ("Verdant Botanics", 1.1, True),
    ("Solène", 1.8, False),
]

FRAGRANCES = [
    "",
    ", Parfum, Limonene, Linalool",
    "",
    ", Parfum, Citronellol, Geraniol, Hexyl Cinnamal",
    "",
]

ACTIVES = {
    "niacinamide": ("Niacinamide 5%", "Niacinamide"),
    "hyaluronic": ("Hyaluronic", "Sodium Hyaluronate, Hydrolyzed Hyaluronic Acid"),
    "ceramide": ("Ceramide", "Ceramide NP, Ceramide AP, Ceramide EOP, Cholesterol, Phytosphingosine"),
    "retinol": ("Retinol 0.3%", "Retinol, Tocopherol, Butylated Hydroxytoluene"),
    "retinal": ("Retinal 0.1%", "Retinal, Tocopherol"),
    "vitc": ("Vitamin C 15%", "Ascorbic Acid, Ferulic Acid, Tocopherol"),
    "vitc_deriv": ("Vitamin C Glow", "Ascorbyl Glucoside, 3-O-Ethyl Ascorbic Acid"),
    "glycolic": ("Glycolic 7%", "Glycolic Acid, Sodium Hydroxide"),
    "lactic": ("Lactic 10%", "Lactic Acid, Sodium Lactate"),
    "mandelic": ("Mandelic 8%", "Mandelic Acid"),
    "salicylic": ("Salicylic 2%", "Salicylic Acid"),
    "azelaic": ("Azelaic 10%", "Azelaic Acid"),
    "peptide": ("Peptide Complex", "Palmitoyl Tripeptide-1, Palmitoyl Tetrapeptide-7, Acetyl Hexapeptide-8"),
    "copper": ("Copper Peptide", "Copper Tripeptide-1"),
    "cica": ("Cica Calm", "Centella Asiatica Extract, Madecassoside, Panthenol"),
    "green_tea": ("Green Tea", "Camellia Sinensis Leaf Extract, Epigallocatechin Gallate"),
    "oat": ("Oat Comfort", "Avena Sativa Kernel Flour, Beta-Glucan"),
    "tranexamic": ("Tranexamic Tone", "Tranexamic Acid, Alpha-Arbutin"),
    "bakuchiol": ("Bakuchiol", "Bakuchiol"),
    "caffeine": ("Caffeine", "Caffeine, Acetyl Tetrapeptide-5"),
    "squalane": ("Squalane", "Squalane"),
    "zinc": ("Zinc Balance", "Zinc PCA"),
    "bpo": ("BPO 5%", "Benzoyl Peroxide"),
    "sulfur": ("Sulfur 3%", "Sulfur"),
    "tea_tree": ("Tea Tree", "Melaleuca Alternifolia Leaf Oil"),
    "snail": ("Snail 92", "Snail Secretion Filtrate"),
    "rosehip": ("Rosehip", "Rosa Canina Fruit Oil"),
    "urea": ("Urea 10%", "Urea, Sodium Lactate"),
    "pha": ("PHA Gentle", "Gluconolactone, Lactobionic Acid"),
    "licorice": ("Licorice Bright", "Glycyrrhiza Glabra Root Extract, Niacinamide"),
    "probiotic": ("Probiotic", "Bifida Ferment Lysate, Lactobacillus Ferment Lysate"),
    "vitamin_e": ("Vitamin E", "Tocopheryl Acetate, Tocopherol"),
    "hydroquinone": ("Dark Spot Corrector 2%", "Hydroquinone, Sodium Metabisulfite"),
}

# category: (noun, base price EUR, size ml, PAO months, [base formulas with {A} and {F}], [active keys])
CATEGORIES = {
    "cleanser": (
        "Cleanser",
        12,
        200,
        12,
        [
            "Aqua, Glycerin, Cocamidopropyl Hydroxysultaine, Sodium Chloride, {A}, Carbomer, Xanthan Gum, "
            "Disodium EDTA, Sodium Hydroxide, Phenoxyethanol, Ethylhexylglycerin{F}",
            "Aqua, Sodium Laureth Sulfate, Cocamidopropyl Betaine, Glycerin, {A}, Sodium Chloride, Citric Acid, "
            "Sodium Benzoate, Potassium Sorbate{F}",
            "Aqua, Sodium Cocoyl Glycinate, Glycerin, Coco-Betaine, Sodium Lauroyl Methyl Isethionate, {A}, "
            "Panthenol, Allantoin, Polyquaternium-10, Citric Acid, Sodium Benzoate{F}",
            "Caprylic/Capric Triglyceride, Helianthus Annuus Seed Oil, Polyglyceryl-4 Caprate, "
            "Sorbitan Sesquioleate, {A}, Simmondsia Chinensis Seed Oil, Tocopherol{F}",
            "Aqua, Hexylene Glycol, Glycerin, Poloxamer 184, {A}, Disodium Cocoamphodiacetate, Disodium EDTA, "
            "Polyaminopropyl Biguanide",
        ],
        [
            "ceramide",
            "salicylic",
            "oat",
            "bpo",
            "green_tea",
            "hyaluronic",
            "niacinamide",
            "tea_tree",
            "cica",
            "pha",
            "probiotic",
            "squalane",
            "lactic",
        ],
    ),
    "toner": (
        "Toner",
        14,
        200,
        12,
        [
            "Aqua, Butylene Glycol, Glycerin, {A}, Betaine, Panthenol, Allantoin, Sodium Citrate, Citric Acid, "
            "Sodium Benzoate{F}",
            "Aqua, {A}, Propanediol, Aloe Barbadensis Leaf Juice, Glycerin, Hamamelis Virginiana Water, "
            "Panthenol, Potassium Sorbate",
            "Aqua, Alcohol Denat., Hamamelis Virginiana Water, Glycerin, {A}, Menthol, Citric Acid{F}",
            "Rosa Damascena Flower Water, Glycerin, {A}, Sodium PCA, Trehalose, Pentylene Glycol, Sodium Benzoate",
        ],
        [
            "glycolic",
            "hyaluronic",
            "niacinamide",
            "salicylic",
            "green_tea",
            "cica",
            "lactic",
            "pha",
            "tea_tree",
            "licorice",
            "probiotic",
            "mandelic",
            "zinc",
        ],
    ),
    "essence": (
        "Essence",
        22,
        150,
        12,
        [
            "Aqua, Galactomyces Ferment Filtrate, Butylene Glycol, {A}, Glycerin, Pentylene Glycol, "
            "Sodium Hyaluronate, Trehalose, Panthenol, Allantoin, Xanthan Gum, Disodium EDTA",
            "Saccharomyces Ferment Filtrate, Aqua, Glycerin, Butylene Glycol, {A}, 1,2-Hexanediol, Betaine, "
            "Carbomer, Arginine, Allantoin{F}",
            "Aqua, Propanediol, {A}, Glycerin, Centella Asiatica Leaf Water, Sodium PCA, Ectoin, "
            "Phenoxyethanol, Ethylhexylglycerin",
        ],
        [
            "snail",
            "hyaluronic",
            "niacinamide",
            "probiotic",
            "cica",
            "green_tea",
            "licorice",
            "ceramide",
            "peptide",
            "oat",
            "vitc_deriv",
            "urea",
            "squalane",
        ],
    ),
    "serum": (
        "Serum",
        24,
        30,
        6,
        [
            "Aqua, {A}, Propanediol, Glycerin, Pentylene Glycol, Xanthan Gum, Sodium Hyaluronate, "
            "Phenoxyethanol, Ethylhexylglycerin",
            "Aqua, Butylene Glycol, {A}, Glycerin, 1,2-Hexanediol, Carbomer, Arginine, Allantoin, Disodium EDTA{F}",
            "Aqua, Glycerin, {A}, Squalane, Caprylic/Capric Triglyceride, Polysorbate 20, Sodium Hyaluronate, "
            "Tocopherol, Citric Acid, Sodium Benzoate, Potassium Sorbate",
        ],
        [
            "niacinamide",
            "hyaluronic",
            "vitc",
            "retinol",
            "peptide",
            "azelaic",
            "tranexamic",
            "copper",
            "bakuchiol",
            "vitc_deriv",
            "licorice",
            "retinal",
            "ceramide",
            "zinc",
        ],
    ),
    "treatment": (
        "Treatment",
        26,
        30,
        6,
        [
            "Aqua, Propanediol, {A}, Dimethicone, Glycerin, Cetearyl Alcohol, Polysorbate 60, Carbomer, "
            "Sodium Hydroxide, Phenoxyethanol",
            "Squalane, Caprylic/Capric Triglyceride, {A}, Simmondsia Chinensis Seed Oil, Tocopherol",
            "Aqua, Glycerin, {A}, Caprylic/Capric Triglyceride, Cetearyl Alcohol, Ceteareth-20, "
            "Xanthan Gum, Disodium EDTA, Phenoxyethanol, Ethylhexylglycerin",
        ],
        [
            "retinol",
            "azelaic",
            "retinal",
            "glycolic",
            "tranexamic",
            "urea",
            "bakuchiol",
            "hydroquinone",
            "niacinamide",
            "peptide",
            "mandelic",
            "cica",
        ],
    ),
    "eye": (
        "Eye Cream",
        28,
        15,
        6,
        [
            "Aqua, Glycerin, Caprylic/Capric Triglyceride, {A}, Cetearyl Alcohol, Squalane, Cetearyl Olivate, "
            "Sorbitan Olivate, Tocopherol, Xanthan Gum, Phenoxyethanol, Ethylhexylglycerin",
            "Aqua, Butylene Glycol, Dimethicone, {A}, Glycerin, Butyrospermum Parkii Butter, "
            "Hydroxyethyl Acrylate/Sodium Acryloyldimethyl Taurate Copolymer, Sodium Hyaluronate, "
            "Disodium EDTA, Chlorphenesin",
        ],
        [
            "caffeine",
            "peptide",
            "retinol",
            "hyaluronic",
            "vitamin_e",
            "bakuchiol",
            "ceramide",
            "niacinamide",
            "vitc_deriv",
            "copper",
            "cica",
            "oat",
        ],
    ),
    "moisturizer": (
        "Moisturizer",
        20,
        50,
        12,
        [
            "Aqua, Glycerin, Caprylic/Capric Triglyceride, Cetearyl Alcohol, {A}, Dimethicone, "
            "Butyrospermum Parkii Butter, Glyceryl Stearate, PEG-100 Stearate, Cetearyl Glucoside, Tocopherol, "
            "Carbomer, Sodium Hydroxide, Phenoxyethanol, Ethylhexylglycerin{F}",
            "Aqua, Glycerin, Dimethicone, Butylene Glycol, {A}, Squalane, "
            "Ammonium Acryloyldimethyltaurate/VP Copolymer, Sodium Hyaluronate, Allantoin, Disodium EDTA, "
            "Phenoxyethanol, Chlorphenesin",
            "Aqua, Petrolatum, Glycerin, Cetearyl Alcohol, Paraffinum Liquidum, {A}, Cera Alba, Lanolin, "
            "Sorbitan Stearate, Ceteareth-20, Tocopheryl Acetate, Methylparaben, Propylparaben{F}",
            "Aqua, Glycerin, Isopropyl Myristate, Cocos Nucifera Oil, {A}, Stearic Acid, Cetyl Alcohol, "
            "Glyceryl Stearate, Triethanolamine, Xanthan Gum, Phenoxyethanol{F}",
        ],
        [
            "ceramide",
            "niacinamide",
            "hyaluronic",
            "urea",
            "peptide",
            "oat",
            "cica",
            "squalane",
            "retinol",
            "green_tea",
            "probiotic",
            "bakuchiol",
            "vitamin_e",
            "zinc",
        ],
    ),
    "sunscreen": (
        "Sunscreen SPF {spf}",
        18,
        50,
        12,
        [
            "Aqua, Homosalate, Ethylhexyl Salicylate, Octocrylene, Butyl Methoxydibenzoylmethane, Glycerin, "
            "{A}, Silica, Dimethicone, Caprylyl Methicone, Tocopheryl Acetate, "
            "Acrylates/C10-30 Alkyl Acrylate Crosspolymer, Sodium Hydroxide, Phenoxyethanol{F}",
            "Aqua, Alcohol Denat., C12-15 Alkyl Benzoate, Diethylamino Hydroxybenzoyl Hexyl Benzoate, "
            "Ethylhexyl Triazone, Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine, {A}, Dibutyl Adipate, "
            "Glycerin, Silica, Tocopherol, Xanthan Gum, Phenoxyethanol",
            "Aqua, Zinc Oxide, Caprylic/Capric Triglyceride, Titanium Dioxide, Glycerin, {A}, "
            "Polyglyceryl-2 Dipolyhydroxystearate, Isononyl Isononanoate, Magnesium Sulfate, Tocopherol, "
            "Aluminum Hydroxide, Stearic Acid, Phenoxyethanol",
            "Aqua, Ethylhexyl Methoxycinnamate, Octocrylene, Butyl Methoxydibenzoylmethane, "
            "Methylene Bis-Benzotriazolyl Tetramethylbutylphenol, {A}, Glycerin, Cetearyl Alcohol, "
            "Decyl Glucoside, Xanthan Gum, Disodium EDTA, Chlorphenesin{F}",
        ],
        [
            "niacinamide",
            "hyaluronic",
            "vitamin_e",
            "green_tea",
            "cica",
            "ceramide",
            "oat",
            "squalane",
            "vitc_deriv",
            "zinc",
            "probiotic",
            "licorice",
            "bakuchiol",
            "peptide",
        ],
    ),
    "mask": (
        "Mask",
        16,
        75,
        12,
        [
            "Aqua, Kaolin, Bentonite, Glycerin, {A}, Charcoal Powder, Xanthan Gum, Phenoxyethanol{F}",
            "Aqua, Glycerin, Butylene Glycol, {A}, Dimethicone, Polyacrylate-13, Trehalose, "
            "Sodium Hyaluronate, Phenoxyethanol, Ethylhexylglycerin",
            "Aqua, Glycerin, Cetearyl Alcohol, Butyrospermum Parkii Butter, {A}, Kaolin, Glyceryl Stearate, "
            "Tocopherol, Sodium Benzoate, Potassium Sorbate{F}",
        ],
        [
            "salicylic",
            "hyaluronic",
            "green_tea",
            "zinc",
            "cica",
            "glycolic",
            "oat",
            "ceramide",
            "snail",
            "tea_tree",
            "sulfur",
            "vitc_deriv",
            "probiotic",
        ],
    ),
    "exfoliant": (
        "Exfoliant",
        19,
        100,
        12,
        [
            "Aqua, {A}, Butylene Glycol, Glycerin, Sodium Hydroxide, Polysorbate 20, Xanthan Gum, "
            "Sodium Benzoate, Potassium Sorbate",
            "Aqua, {A}, Propanediol, Aloe Barbadensis Leaf Juice, Glycerin, Panthenol, Allantoin, "
            "Hydroxyethylcellulose, Phenoxyethanol{F}",
            "Aqua, Glycerin, Hydrogenated Jojoba Oil, Cetearyl Alcohol, {A}, Papain, Xanthan Gum, "
            "Phenoxyethanol, Ethylhexylglycerin{F}",
        ],
        [
            "glycolic",
            "salicylic",
            "lactic",
            "mandelic",
            "pha",
            "azelaic",
            "glycolic",
            "salicylic",
            "lactic",
            "mandelic",
            "pha",
            "tea_tree",
        ],
    ),
    "oil": (
        "Face Oil",
        27,
        30,
        6,
        [
            "Squalane, {A}, Caprylic/Capric Triglyceride, Simmondsia Chinensis Seed Oil, Tocopherol",
            "Simmondsia Chinensis Seed Oil, {A}, Argania Spinosa Kernel Oil, Oenothera Biennis Oil, Tocopherol{F}",
            "Caprylic/Capric Triglyceride, Helianthus Annuus Seed Oil, {A}, Cannabis Sativa Seed Oil, "
            "Rosmarinus Officinalis Leaf Extract",
        ],
        [
            "rosehip",
            "retinol",
            "bakuchiol",
            "squalane",
            "vitamin_e",
            "tea_tree",
            "retinal",
            "rosehip",
            "bakuchiol",
            "vitamin_e",
            "squalane",
            "retinol",
        ],
    ),
    "spot_treatment": (
        "Spot Treatment",
        11,
        15,
        12,
        [
            "Aqua, Alcohol Denat., {A}, Glycerin, Hamamelis Virginiana Water, Xanthan Gum, Sodium Hydroxide",
            "Aqua, {A}, Kaolin, Zinc Oxide, Glycerin, Propylene Glycol, Xanthan Gum, Phenoxyethanol",
            "Aqua, {A}, Glycerin, Carbomer, Sodium Hydroxide, Allantoin, Disodium EDTA, Phenoxyethanol{F}",
        ],
        [
            "salicylic",
            "bpo",
            "sulfur",
            "tea_tree",
            "azelaic",
            "niacinamide",
            "zinc",
            "bpo",
            "salicylic",
            "sulfur",
            "tea_tree",
            "cica",
        ],
    ),
}

ANIMAL = {"Lanolin", "Cera Alba", "Snail Secretion Filtrate", "Honey"}


def _dedupe(text: str) -> str:
    seen, out = set(), []
    for name in (n.strip() for n in text.split(",")):
        if name and name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return ", ".join(out)


def build() -> list[dict]:
    products = []
    n = 0
    for category, (noun, price, size, pao, bases, actives) in CATEGORIES.items():
        for i, key in enumerate(actives):
            label, inci = ACTIVES[key]
            base = bases[i % len(bases)]
            brand, tier, _ = BRANDS[(n * 3 + i) % len(BRANDS)]
            fragrance = FRAGRANCES[(n + i) % len(FRAGRANCES)]
            text = _dedupe(base.replace("{A}", inci).replace("{F}", fragrance))
            spf = None
            if category == "sunscreen":
                spf = 50 if i % 3 else 30
            name = f"{label} {noun.format(spf=spf)}"
            if any(p["brand"] == brand and p["name"] == name for p in products):
                name = f"{name} II"
            names = [x.strip() for x in text.split(",")]
            products.append(
                {
                    "brand": brand,
                    "name": name,
                    "category": category,
                    "price": round(price * tier * (1 + 0.07 * (i % 4)), 2),
                    "currency": "EUR",
                    "size_ml": size,
                    "pao_months": pao,
                    "spf": spf,
                    "is_vegan": not any(a in names for a in ANIMAL),
                    "barcode": f"200{n:09d}",
                    "ingredients_text": text,
                }
            )
            n += 1
    return products


if __name__ == "__main__":
    data = build()
    out = Path(__file__).with_name("demo_products.json")
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(data)} demo products → {out}")

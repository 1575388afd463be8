"""Skin type (normal, dry, oily, combination) from the measures; sensitive comes from the profile.

Rules on the shine shares (specular highlight % of skin) and the texture roughness:

* oily: shine in the T-zone ≥ 3% and on the cheeks ≥ 1.5%
* combination: shine in the T-zone ≥ 3% but the cheeks below 1.5%
* dry: T-zone shine < 1% and texture roughness ≥ 2.0 L* rms (flaky, matte)
* normal: everything else

Confidence grows with the distance from the nearest rule boundary and is capped at 0.75: a photo
cannot measure sebum like a sebumeter.
"""

from __future__ import annotations

from ml.types import SkinType

T_OILY, C_OILY, T_DRY, TEX_DRY = 3.0, 1.5, 1.0, 2.0


def from_measures(t_shine: float, cheek_shine: float, texture: float) -> SkinType:
    def margin(value: float, limit: float) -> float:
        return min(abs(value - limit) / max(limit, 1e-6), 1.0)

    if t_shine >= T_OILY and cheek_shine >= C_OILY:
        value, m = "oily", min(margin(t_shine, T_OILY), margin(cheek_shine, C_OILY))
    elif t_shine >= T_OILY:
        value, m = "combination", min(margin(t_shine, T_OILY), margin(cheek_shine, C_OILY))
    elif t_shine < T_DRY and texture >= TEX_DRY:
        value, m = "dry", min(margin(t_shine, T_DRY), margin(texture, TEX_DRY))
    else:
        candidates = [margin(t_shine, T_OILY)]
        if t_shine < T_DRY:
            candidates.append(margin(texture, TEX_DRY))
        value, m = "normal", min(candidates)
    return SkinType(value=value, confidence=round(0.4 + 0.35 * m, 3), source="measures")

"""The original mobile client's contract (../shared/docs/SEED_CLIENT.md), served beside our own (API.md).

One package, not a `seed.py` per app, on purpose: the seed contract is one compatibility layer that cuts across
accounts, analysis, ingredients, routines, progress, notifications and consultations. Kept together, it is read,
tested and (one day) retired as a unit, and the apps' own API modules stay untouched by it, so branches that change
those apps merge without touching this. It holds no rule of its own: `mapping.py` turns our services' results and
the seed's field names into each other (pure functions), `views.py` are thin views over the apps' services,
selectors and, where the seed shares a path with our API (login, register, ingredients/scan, routine/create,
progress/metrics, notifications), subclasses of our own views that only add the seed's fields. `urls.py` is
included first under /api/v1/, so on a shared path this subclass answers (skincare/core/schema.py documents the
route Django serves). `replay.py` replays the seed's twelve journeys over plain HTTP.
"""

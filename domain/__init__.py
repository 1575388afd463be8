"""The skincare domain's vocabulary and rules, in one Django-free home.

Concern keys and their words for people, skin types, budgets, active classes with the INCI names that
make them, conflict pairs, the pregnancy and breastfeeding policy, how often each active is used and how
it is introduced, the shape of a routine, and the limits and codes of photo uploads. Every rule names its
source (`domain.sources`).

Pure Python: it imports nothing outside the standard library, so `ml/`, the Django apps and scripts can
all read it. Words for people are English msgids marked with `N_` (a no-op); the Django layer translates
them where they are shown. An architecture test keeps every other module from defining its own copy.
"""

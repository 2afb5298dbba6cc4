"""xsdata's dataclass generator, with our two additions made through its own extension points.

Run as ``python -m codegen.models.xsdata_plugin <source> <xsdata generate options…>``: it
registers the ``payamak`` output format and runs xsdata's ``generate`` command with it (in a
subprocess of the generator, as the plain CLI was). The additions:

- fields of elements the spec marks ``urn:payamak:secret`` get ``repr=False`` (a ``Filters``
  subclass; the marks are read from the source by ``codegen.readers.xsd``), so printing or
  logging a document never shows a password;
- every module lists the classes it defines in ``__all__`` (a ``DataclassGenerator`` subclass,
  from the classes it renders), which xsdata does not emit.
"""

from __future__ import annotations

import sys
from pathlib import Path

from xsdata.codegen.models import Attr, Class
from xsdata.codegen.resolver import DependenciesResolver
from xsdata.codegen.writer import CodeWriter
from xsdata.formats.dataclass.filters import Filters
from xsdata.formats.dataclass.generator import DataclassGenerator
from xsdata.models.config import GeneratorConfig

from ..readers.xsd import secret_elements

FORMAT = "payamak"
_FIELD_CALL = "field("


class PayamakFilters(Filters):
    """xsdata's filters, plus ``repr=False`` on the fields of secret elements."""

    secrets: frozenset[str] = frozenset()
    applied: set[str] = set()  # noqa: RUF012 - one run per process: filled, then checked

    def field_definition(self, obj: Class, attr: Attr, parent_namespace: str | None) -> str:
        """The field definition, with ``repr=False`` first for a secret element."""
        definition = super().field_definition(obj, attr, parent_namespace)
        if attr.local_name not in self.secrets:
            return definition
        if not definition.startswith(_FIELD_CALL):
            raise SystemExit(f"xsdata wrote {attr.local_name!r} as {definition!r}, not field(…)")
        self.applied.add(attr.local_name)
        return f"{_FIELD_CALL}repr=False, {definition.removeprefix(_FIELD_CALL)}"


class PayamakGenerator(DataclassGenerator):
    """xsdata's dataclass generator with our filters and an ``__all__`` in every module."""

    @classmethod
    def init_filters(cls, config: GeneratorConfig) -> Filters:
        """Our filters."""
        return PayamakFilters(config)

    def render_module(self, resolver: DependenciesResolver, classes: list[Class]) -> str:
        """The module xsdata renders, followed by the ``__all__`` of its classes."""
        source = super().render_module(resolver, classes)
        names = sorted(self.filters.class_name(obj.name) for obj in classes)
        listing = "".join(f'    "{name}",\n' for name in names)
        return f"{source.rstrip()}\n\n\n__all__ = [\n{listing}]\n"


def main(argv: list[str]) -> None:
    """Register the format, mark the source's secrets and run ``xsdata generate``.

    A marked element that no field was generated for stops generation, so a change in xsdata
    cannot silently drop the protection.
    """
    source = argv[0]
    files = sorted(Path(source).glob("*.wsdl")) if Path(source).is_dir() else [Path(source)]
    PayamakFilters.secrets = frozenset(name for file in files for name in secret_elements(file))
    CodeWriter.register_generator(FORMAT, PayamakGenerator)
    from xsdata.cli import cli  # after the registration: the format is one of its choices

    cli(["generate", *argv, "--output", FORMAT], standalone_mode=False)
    missing = sorted(PayamakFilters.secrets - PayamakFilters.applied)
    if missing:
        raise SystemExit(f"{source}: elements {missing} are marked secret, but no field was made")


if __name__ == "__main__":
    main(sys.argv[1:])

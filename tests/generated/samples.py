"""Valid-looking arguments for any client method, made from its type hints, so that a test can
call every operation of every provider (generated fixtures included) without a case per
operation. The values only have to pass the request builders: the tests that use them answer
with transport failures or look at what was refused."""

from __future__ import annotations

import dataclasses
import enum
import inspect
import types
import typing
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

import pydantic

MOBILE = "09121234567"


def sample(tp: Any) -> Any:
    """A value of type ``tp`` that the builders accept."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return sample(args[0])
    if origin in (typing.Union, types.UnionType):
        return sample(next(a for a in args if a is not type(None)))
    if origin is typing.Literal:
        return args[0]
    if origin in (list, Sequence, tuple) or (origin is not None and origin.__name__ == "Sequence"):
        return [sample(args[0])]
    if isinstance(tp, typing.TypeAliasType if hasattr(typing, "TypeAliasType") else ()):
        return sample(tp.__value__)
    if hasattr(tp, "__value__"):  # typing_extensions.TypeAliasType
        return sample(tp.__value__)
    if tp is str:
        return MOBILE
    if tp is bool:
        return False
    if tp is int:
        return 1000
    if tp is float:
        return 1.5
    if tp is bytes:
        return b"x"
    if tp is datetime:
        return datetime(2024, 3, 20, 10, 0, tzinfo=timezone.utc)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return next(iter(tp))
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        return tp(
            **{
                name: sample(field.annotation)
                for name, field in tp.model_fields.items()
                if field.is_required()
            }
        )
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp)
        return tp(
            **{
                f.name: sample(hints[f.name])
                for f in dataclasses.fields(tp)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            }
        )
    raise TypeError(f"no sample for {tp!r}")


def operations_of(client_class: type) -> list[str]:
    """The public operation methods of a generated client class."""
    skip = {"close", "aclose"}
    return sorted(
        name
        for name, member in vars(client_class).items()
        if inspect.isfunction(member) and not name.startswith("_") and name not in skip
    )


def arguments(method: Callable[..., Any]) -> dict[str, Any]:
    """Keyword arguments for every required parameter of ``method``."""
    hints = typing.get_type_hints(method)
    return {
        name: sample(hints[name])
        for name, parameter in inspect.signature(method).parameters.items()
        if name != "self" and parameter.default is inspect.Parameter.empty
    }

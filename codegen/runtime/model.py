"""The base class of every generated pydantic model."""

from pydantic import BaseModel, ConfigDict

__all__ = ["WireModel"]


class WireModel(BaseModel):
    """Base of every generated request and response model.

    Attributes are snake_case and the wire names are their aliases: models can be built with
    either name, and always serialise with the wire names. Numbers that arrive where the spec
    says string are accepted as strings, and numeric strings where it says integer are accepted
    as integers, because the providers' own examples and servers send ``"Status": 1`` and
    ``"Page": "1"`` alike. NaN and infinities are refused wherever a number goes (a credit of
    ``nan`` is no credit), in answers and in arguments alike.
    """

    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        coerce_numbers_to_str=True,
        allow_inf_nan=False,
    )

"""Turning spec names and spec text into Python names and docstring text."""

from __future__ import annotations

import re


def snake_case(name: str) -> str:
    """``SendMessage`` → ``send_message``, ``ShowWhiteList`` → ``show_white_list``."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def docstring_text(text: str) -> str:
    """Spec text on one line, safe inside a triple-quoted docstring (no closing quotes, no
    escapes)."""
    return " ".join(text.split()).replace("\\", "\\\\").replace('"""', "'''")


def first_sentence(text: str, fallback: str) -> str:
    """The first sentence of spec text (or ``fallback`` when it is empty), ending with a full
    stop: a docstring's summary line."""
    return docstring_text(text.split(". ")[0] if text else fallback).rstrip(".") + "."

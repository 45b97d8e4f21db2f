"""
JSON templates are read as YAML.

Bug: moto parses every template with PyYAML's pure-Python loader first (JSON is mostly YAML) and
falls back to json only when that fails. It is wrong on JSON-only syntax: a surrogate-pair escape
such as "\\ud83d\\ude00" becomes two lone surrogates, which no response can encode (DescribeStacks
of a stack with such a Description fails with a 500), and 1e3 is read as the string "1e3". It is
also slow: on a CDK template of 50 KB the YAML parse is most of a CreateChangeSet, and moto parses
each template several times per deploy.

Fix: a template that parses as JSON is read with json.loads, as CloudFormation reads it; any other
text still goes to moto's YAML loader.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from moto.cloudformation import models, responses

from . import require


class _JsonFirst:
    """Stands in for the `yaml` module inside moto's CloudFormation code."""

    def __getattr__(self, name: str) -> Any:
        return getattr(yaml, name)

    @staticmethod
    def load(stream: Any, Loader: Any = None) -> Any:  # noqa: N803 (PyYAML's own parameter name)
        if isinstance(stream, (str, bytes)) and stream.lstrip()[:1] in ("{", b"{"):
            try:
                return json.loads(stream)
            except ValueError:
                pass
        return yaml.load(stream, Loader=Loader)


def apply() -> None:
    require((models, "yaml"), (responses, "yaml"))
    models.yaml = _JsonFirst()
    responses.yaml = _JsonFirst()

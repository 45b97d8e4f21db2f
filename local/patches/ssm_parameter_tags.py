"""
AWS::SSM::Parameter with Tags cannot be created.

Bug: in a template, an SSM parameter's Tags are a map ({"project": "demo"}), unlike most resource
types' list of Key/Value pairs. moto hands the map to PutParameter, which expects the list, and
fails with "TypeError: string indices must be integers" (an HTML 500 on CreateStack).

Fix: the map is turned into the Key/Value list before moto creates or updates the parameter.
"""

from __future__ import annotations

from typing import Any

from moto.ssm.models import Parameter

from . import before_create


def _as_tag_list(cloudformation_json: dict[str, Any]) -> dict[str, Any]:
    properties = cloudformation_json.get("Properties") or {}
    tags = properties.get("Tags")
    if not isinstance(tags, dict):
        return cloudformation_json
    listed = [{"Key": key, "Value": value} for key, value in tags.items()]
    return {**cloudformation_json, "Properties": {**properties, "Tags": listed}}


def apply() -> None:
    before_create(Parameter, _as_tag_list)

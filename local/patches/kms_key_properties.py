"""
AWS::KMS::Key properties in template form break moto.

Bug: moto passes a template's KMS key properties to its KMS backend as they are, but two of them
have another form in a template than in the KMS API. Tags are Key/Value pairs, not TagKey/
TagValue: a key with Tags fails to create with "KeyError: 'TagKey'" (an HTML 500 on CreateStack).
KeyPolicy is a JSON object, not a JSON string: the key is created, and then every call that checks
its policy (DescribeKey, GetKeyPolicy, ...) fails with an HTML 500.

Fix: Tags are renamed to TagKey/TagValue and KeyPolicy is serialized to a string before moto
creates the key.
"""

from __future__ import annotations

import json
from typing import Any

from moto.kms.models import Key

from . import before_create


def _api_form(cloudformation_json: dict[str, Any]) -> dict[str, Any]:
    properties = dict(cloudformation_json.get("Properties") or {})
    tags = properties.get("Tags")
    if isinstance(tags, list):
        properties["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} if "Key" in t else t for t in tags]
    if isinstance(properties.get("KeyPolicy"), dict):
        properties["KeyPolicy"] = json.dumps(properties["KeyPolicy"])
    return {**cloudformation_json, "Properties": properties}


def apply() -> None:
    before_create(Key, _api_form)

"""
A resource replaced by a stack update leaves the resources that point at it with its old values.

Bug: moto updates only the resources whose template text changed. When one of them is replaced
(a new physical id: a renamed OpenSearch Serverless collection, a target group, ...), a resource
whose text did not change but whose `Ref` / `Fn::GetAtt` / `Fn::Sub` names it keeps the values of
the resource that is gone: an SSM parameter that publishes the collection's endpoint to the next
phase goes on publishing the deleted one.

Fix: after the update, as CloudFormation does, every resource that names a replaced one is updated
with the new values, and then the ones that name those, until nothing more is replaced.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from moto.cloudformation import parsing

from . import require

# Bounds the chain of dependents: a template deeper than this is not a CloudFormation template.
MAX_ROUNDS = 20


def _names(value: Any) -> set[str]:
    """The logical ids a resource's JSON refers to."""
    if isinstance(value, list):
        return set().union(*(_names(v) for v in value)) if value else set()
    if not isinstance(value, dict):
        return set()
    found: set[str] = set()
    for key, inner in value.items():
        if key == "Ref" and isinstance(inner, str):
            found.add(inner)
        elif key == "Fn::GetAtt":
            target = inner[0] if isinstance(inner, list) and inner else str(inner).split(".")[0]
            found.add(target)
        elif key == "Fn::Sub":
            text = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(text, str):
                found.update(m.split(".")[0] for m in re.findall(r"\$\{([^!}][^}]*)\}", text))
            found |= _names(inner)
        else:
            found |= _names(inner)
    return found


def _physical_ids(resources: parsing.ResourceMap) -> dict[str, Any]:
    return {name: getattr(r, "physical_resource_id", None) for name, r in resources._parsed_resources.items() if not isinstance(r, str)}


def _updating_dependents(original: Callable[..., None]) -> Callable[..., None]:
    def update(self: parsing.ResourceMap, template: dict[str, Any], parameters: dict[str, Any] | None = None) -> None:
        before = _physical_ids(self)
        original(self, template, parameters)
        after = _physical_ids(self)
        replaced = {name for name, pid in after.items() if name in before and before[name] != pid}
        done: set[str] = set()
        for _ in range(MAX_ROUNDS):
            dependents = [
                name
                for name, resource_json in self._resource_json_map.items()
                if name not in done and name in self._parsed_resources and _names(resource_json) & replaced
            ]
            if not dependents:
                return
            replaced = set()
            for name in dependents:
                done.add(name)
                old_id = after.get(name)
                updated = parsing.parse_and_update_resource(
                    name, self._resource_json_map[name], self, account_id=self._account_id, region_name=self._region_name
                )
                if updated is None:
                    continue
                self._parsed_resources[name] = updated
                if getattr(updated, "physical_resource_id", None) != old_id:
                    replaced.add(name)

    return update


def apply() -> None:
    require((parsing.ResourceMap, "update"), (parsing, "parse_and_update_resource"))
    parsing.ResourceMap.update = _updating_dependents(parsing.ResourceMap.update)  # type: ignore[method-assign]

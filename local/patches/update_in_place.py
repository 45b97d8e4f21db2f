"""
Updating a resource of a type moto cannot update drops it from its stack.

Bug: when a stack update modifies a resource whose type has no update support in moto (a VPC, a
subnet, a KMS key, a DynamoDB table, an IAM managed policy, ...), moto replaces the resource in the
stack by nothing: ListStackResources shows an empty entry, Ref and GetAtt to it resolve to
nothing, and deleting the stack later leaves the resource behind (a VPC then blocks nothing, but
stays forever).

Fix: such a resource stays in its stack as it was; the modified properties are not applied (moto
has no way to apply them), which a local run can live with.
"""

from __future__ import annotations

from typing import Any, Callable

from moto.cloudformation import parsing

from . import require


def _keeping_the_resource(original: Callable[..., Any]) -> Callable[..., Any]:
    def parse_and_update_resource(
        logical_id: str, resource_json: dict[str, Any], resources_map: parsing.ResourceMap, *args: Any, **kwargs: Any
    ) -> Any:
        updated = original(logical_id, resource_json, resources_map, *args, **kwargs)
        if updated is not None:
            return updated
        model = parsing.get_model_map().get(resource_json.get("Type", ""))
        if model is not None and hasattr(model.update_from_cloudformation_json, "__isabstractmethod__"):
            return resources_map._parsed_resources.get(logical_id)
        return updated

    return parse_and_update_resource


def apply() -> None:
    require((parsing, "parse_and_update_resource"), (parsing, "get_model_map"), (parsing.ResourceMap, "update"))
    parsing.parse_and_update_resource = _keeping_the_resource(parsing.parse_and_update_resource)

"""
"No updates are to be performed."

Bug: UpdateStack refuses an update that changes nothing only when parameters are passed and the
template text is byte-for-byte the same: an identical template without parameters (or reformatted)
performs an update. CreateChangeSet raises that UpdateStack error itself instead of creating a
change set that ends FAILED with "didn't contain changes".

Fix: UpdateStack fails with ValidationError "No updates are to be performed." when the parsed
template, the parameter values (those passed, else the template's defaults) and the tags are all
the same as the stack's. CreateChangeSet no longer checks: its change set records the outcome, as
moto already does for a change set that changes nothing.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import Stack
from moto.cloudformation.responses import CloudFormationResponse

from . import require


def _values(template: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    declared = template.get("Parameters") or {}
    return {key: given.get(key, slot.get("Default")) for key, slot in declared.items()}


def validate_different_update(
    self: CloudFormationResponse, incoming_params: list[dict[str, Any]] | None, stack_body: str, old_stack: Stack
) -> None:
    if self._get_action() != "UpdateStack" or not stack_body:
        return
    old_template = Stack.parse_template(old_stack.template) if old_stack.template else {}
    new_template = Stack.parse_template(stack_body)
    if new_template != old_template:
        return
    given = {p["ParameterKey"]: p["ParameterValue"] for p in incoming_params or [] if "ParameterValue" in p}
    for p in incoming_params or []:
        if p.get("UsePreviousValue") and p["ParameterKey"] in old_stack.parameters:
            given[p["ParameterKey"]] = old_stack.parameters[p["ParameterKey"]]
    if _values(new_template, given) != _values(old_template, old_stack.parameters):
        return
    tags = {t["Key"]: t["Value"] for t in self._get_param("Tags") or []}
    if tags and tags != old_stack.tags:
        return
    raise ValidationError(old_stack.name, message="No updates are to be performed.")


def apply() -> None:
    require(
        (CloudFormationResponse, "_validate_different_update"),
        (CloudFormationResponse, "_get_action"),
        (Stack, "parse_template"),
    )
    CloudFormationResponse._validate_different_update = validate_different_update

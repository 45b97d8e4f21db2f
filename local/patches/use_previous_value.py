"""
Parameters passed with UsePreviousValue.

Bug: UpdateStack looks the previous value up among the values passed when the stack was last
created or updated, so a parameter that took its default then fails with KeyError (an HTML 500).
CreateChangeSet takes the previous *resolved* value instead: for an SSM-typed parameter that is
the SSM value rather than the parameter name, which the next resolution then fails to find.

Fix: before UpdateStack or CreateChangeSet runs, each UsePreviousValue parameter is replaced by
the value the stack was given for it, or by the default of the stack's template when it was given
none, so both operations see plain values. Passing UsePreviousValue together with a value, or for
a parameter the stack does not have, is a ValidationError as in CloudFormation.
"""

from __future__ import annotations

from typing import Any, Callable

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import Stack
from moto.cloudformation.responses import CloudFormationResponse

from . import require


def previous_value(stack: Stack, key: str) -> Any:
    if key in stack.parameters:
        return stack.parameters[key]
    declared = (Stack.parse_template(stack.template) if stack.template else {}).get("Parameters") or {}
    if "Default" in declared.get(key, {}):
        return declared[key]["Default"]
    raise ValidationError(
        message=f"Invalid input for parameter key {key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template"
    )


def _with_previous_values(original: Callable[[CloudFormationResponse], Any]) -> Callable[[CloudFormationResponse], Any]:
    def handler(self: CloudFormationResponse) -> Any:
        parameters = self._get_param("Parameters") or []
        if any(p.get("UsePreviousValue") for p in parameters):
            stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
            for parameter in parameters:
                if not parameter.get("UsePreviousValue"):
                    continue
                key = parameter["ParameterKey"]
                if parameter.get("ParameterValue"):
                    raise ValidationError(
                        message=f"Invalid input for parameter key {key}. Cannot specify usePreviousValue as true and non empty value for a parameter"
                    )
                parameter.pop("UsePreviousValue")
                parameter["ParameterValue"] = previous_value(stack, key)
        return original(self)

    return handler


def apply() -> None:
    require(
        (CloudFormationResponse, "update_stack"),
        (CloudFormationResponse, "create_change_set"),
        (CloudFormationResponse, "_get_param"),
        (Stack, "parse_template"),
    )
    CloudFormationResponse.update_stack = _with_previous_values(CloudFormationResponse.update_stack)
    CloudFormationResponse.create_change_set = _with_previous_values(CloudFormationResponse.create_change_set)

"""
Termination protection.

Bug: UpdateTerminationProtection is not implemented (an HTML 500, which SDKs report as an XML
parse error), and DeleteStack deletes a stack created with EnableTerminationProtection anyway.

Fix: UpdateTerminationProtection sets or clears the stack's protection and answers its StackId;
DeleteStack of a protected stack fails with ValidationError "Stack [<name>] cannot be deleted
while TerminationProtection is enabled", as in CloudFormation.
"""

from __future__ import annotations

from typing import Any, Callable

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult

from . import require


def update_termination_protection(self: CloudFormationResponse) -> Any:
    stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
    stack.enable_termination_protection = bool(self._get_bool_param("EnableTerminationProtection", False))
    return ActionResult({"StackId": stack.stack_id})


def _refusing_protected(original: Callable[..., None]) -> Callable[..., None]:
    def delete_stack(self: CloudFormationBackend, name_or_stack_id: str) -> None:
        stack = next((s for s in self.stacks.values() if name_or_stack_id in (s.name, s.stack_id)), None)
        if stack is not None and stack.enable_termination_protection:
            raise ValidationError(
                message=f"Stack [{stack.name}] cannot be deleted while TerminationProtection is enabled"
            )
        original(self, name_or_stack_id)

    return delete_stack


def apply() -> None:
    require((CloudFormationBackend, "delete_stack"), (CloudFormationResponse, "_get_bool_param"))
    if hasattr(CloudFormationResponse, "update_termination_protection"):
        raise AttributeError("CloudFormationResponse.update_termination_protection exists: moto implements it")
    CloudFormationResponse.update_termination_protection = update_termination_protection
    CloudFormationBackend.delete_stack = _refusing_protected(CloudFormationBackend.delete_stack)

"""
CreateChangeSet ignores the state of the stack it targets.

Bug: a CREATE change set for a name that already has a live stack makes moto create a second stack
of that name (DescribeStacks then shows the old one, and a client waiting for the new one waits
forever); that includes a stack left in REVIEW_IN_PROGRESS by an earlier change set that was never
executed, which CloudFormation reuses. An UPDATE change set is never checked against the stack's
status: on a stack in REVIEW_IN_PROGRESS it fails with an HTML 500, on one in ROLLBACK_COMPLETE (a
failed create, see execution_failure) it is accepted.

Fix: a CREATE change set on a stack in REVIEW_IN_PROGRESS takes that stack's place (its earlier
change sets move to the new stack); on any other live stack it fails with ValidationError "Stack
[<name>] already exists and cannot be created again with the changeSet [<change set>].". An UPDATE
change set on a stack that is not in a *_COMPLETE state other than ROLLBACK_COMPLETE fails with
"Stack:<id> is in <status> state and can not be updated.".
"""

from __future__ import annotations

from typing import Any, Callable

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend, Stack

from . import require

UPDATABLE = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE")


def _live_stack(backend: CloudFormationBackend, name: str) -> Stack | None:
    return next((s for s in backend.stacks.values() if name in (s.name, s.stack_id)), None)


def _checking_the_stack(original: Callable[..., tuple[str, str]]) -> Callable[..., tuple[str, str]]:
    def create_change_set(self: CloudFormationBackend, stack_name: str, change_set_name: str, *args: Any, **kwargs: Any) -> tuple[str, str]:
        change_set_type = kwargs.get("change_set_type", "CREATE")
        stack = _live_stack(self, stack_name)
        if change_set_type == "UPDATE" and stack is not None and stack.status not in UPDATABLE:
            raise ValidationError(message=f"Stack:{stack.stack_id} is in {stack.status} state and can not be updated.")
        if change_set_type != "CREATE" or stack is None:
            return original(self, stack_name, change_set_name, *args, **kwargs)
        if stack.status != "REVIEW_IN_PROGRESS":
            raise ValidationError(
                message=f"Stack [{stack_name}] already exists and cannot be created again with the changeSet [{change_set_name}]."
            )
        del self.stacks[stack.stack_id]
        change_set_id, stack_id = original(self, stack_name, change_set_name, *args, **kwargs)
        replacement = self.stacks[stack_id]
        replacement.events[:0] = stack.events
        for change_set in self.change_sets.values():
            if change_set.stack_id == stack.stack_id:
                change_set.stack, change_set.stack_id = replacement, stack_id
        return change_set_id, stack_id

    return create_change_set


def apply() -> None:
    require((CloudFormationBackend, "create_change_set"))
    CloudFormationBackend.create_change_set = _checking_the_stack(CloudFormationBackend.create_change_set)

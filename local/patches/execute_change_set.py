"""
ExecuteChangeSet does not create or update a stack the way CreateStack and UpdateStack do.

Bug: moto applies a change set through its own partial code path. A stack created or updated by
ExecuteChangeSet gets no Outputs and registers no Exports; its resources are created in template
order, ignoring DependsOn (an API Gateway Deployment before its Methods fails with "The REST API
doesn't contain any methods"); Fn::ImportValue sees no exports; GetTemplateSummary and the next
change set's diff still see the template the stack had before. A change set whose status is FAILED
("didn't contain changes") can still be executed, and so can one already executed.

Fix: a CREATE change set runs the CreateStack path (template, parameters, exports, resources in
dependency order) on the stack the change set created; an UPDATE change set runs the UpdateStack
path. Executing a change set that is not AVAILABLE fails with InvalidChangeSetStatus, as in
CloudFormation. The change set's execution status goes EXECUTE_IN_PROGRESS, then EXECUTE_COMPLETE,
so a failure in between is recognisable (see execution_failure).
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import CloudFormationError, ValidationError
from moto.cloudformation.models import ChangeSet, CloudFormationBackend, Stack

from . import require


class InvalidChangeSetStatus(CloudFormationError):
    code = "InvalidChangeSetStatus"


def execute_change_set(self: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
    change_set = self.change_sets.get(change_set_name) or next(
        (cs for cs in reversed(self.change_sets.values()) if cs.change_set_name == change_set_name),
        None,
    )
    if change_set is None:
        raise ValidationError(stack_name)
    if change_set.execution_status != "AVAILABLE":
        raise InvalidChangeSetStatus(
            f"ChangeSet [{change_set.change_set_id}] cannot be executed in its current status of [{change_set.status}]"
        )
    stack = self.stacks[change_set.stack_id]
    change_set.execution_status = "EXECUTE_IN_PROGRESS"
    if change_set.change_set_type == "CREATE":
        _create(self, stack, change_set)
    else:
        _update(self, stack, change_set)
    change_set.execution_status = "EXECUTE_COMPLETE"


def _create(backend: CloudFormationBackend, stack: Stack, change_set: ChangeSet) -> None:
    """What CloudFormationBackend.create_stack and Stack.__init__ do, on the existing stack."""
    stack._add_stack_event("CREATE_IN_PROGRESS", resource_status_reason="User Initiated")
    stack.template = change_set.template
    stack._parse_template()
    stack.description = stack.template_dict.get("Description")
    stack.parameters = change_set.parameters
    stack.cross_stack_resources = backend.exports
    stack.resource_map = stack._create_resource_map()
    stack.output_map = stack._create_output_map()
    backend._validate_export_uniqueness(stack)
    for export in stack.exports:
        backend.exports[export.name] = export
    stack.create_resources()


def _update(backend: CloudFormationBackend, stack: Stack, change_set: ChangeSet) -> None:
    parameters: list[dict[str, Any]] = [
        {"ParameterKey": key, "ParameterValue": value} for key, value in change_set.parameters.items()
    ]
    backend.update_stack(
        name=stack.stack_id,
        template=change_set.template,
        role_arn=change_set.role_arn,
        parameters=parameters,
        # A change set without tags keeps the stack's tags, as UpdateStack without tags does.
        tags=change_set.tags or None,
    )


def apply() -> None:
    require(
        (CloudFormationBackend, "execute_change_set"),
        (CloudFormationBackend, "update_stack"),
        (CloudFormationBackend, "_validate_export_uniqueness"),
        (Stack, "_parse_template"),
        (Stack, "_create_resource_map"),
        (Stack, "_create_output_map"),
        (Stack, "create_resources"),
        (Stack, "_add_stack_event"),
    )
    CloudFormationBackend.execute_change_set = execute_change_set

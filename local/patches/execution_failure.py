"""
A resource that fails while a change set executes leaves the stack in REVIEW_IN_PROGRESS forever.

Bug: when moto cannot create or update a resource during ExecuteChangeSet, the exception escapes
as the HTTP answer (an HTML 500, or another service's JSON error that a CloudFormation client
cannot parse), the stack stays in REVIEW_IN_PROGRESS (or UPDATE_IN_PROGRESS), no event says what
went wrong, and a client waiting for the stack to settle waits forever.

Fix: as in CloudFormation, ExecuteChangeSet succeeds and the failure shows on the stack. The
resource that failed gets a CREATE_FAILED or UPDATE_FAILED event whose ResourceStatusReason is the
error. A failed create rolls back: the resources created so far are deleted and the stack ends in
ROLLBACK_COMPLETE. A failed update ends in UPDATE_ROLLBACK_COMPLETE with the previous template,
parameters, outputs and exports back in place (moto cannot undo the resource changes made before
the failure). The change set's execution status becomes EXECUTE_FAILED. Needs execute_change_set,
which marks a change set EXECUTE_IN_PROGRESS once it has started to run.
"""

from __future__ import annotations

from typing import Any, Callable

from moto.cloudformation import parsing
from moto.cloudformation.models import ChangeSet, CloudFormationBackend, Stack

from . import add_resource_event, error_message, require

# Set on an exception by the innermost resource that raised it, so the failure names that resource.
FAILED_RESOURCE = "_spec3_failed_resource"


def _naming_the_resource(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(logical_id: str, resource_json: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return original(logical_id, resource_json, *args, **kwargs)
        except Exception as error:
            if not hasattr(error, FAILED_RESOURCE):
                setattr(error, FAILED_RESOURCE, (logical_id, resource_json.get("Type", "")))
            raise

    return wrapper


def _snapshot(backend: CloudFormationBackend, stack: Stack) -> dict[str, Any]:
    resource_map = stack.resource_map
    return {
        "template": stack.template,
        "template_dict": stack.template_dict,
        "parameters": stack.parameters,
        "output_map": stack.output_map,
        "map_template": resource_map._template,
        "map_resources": resource_map._resource_json_map,
        "map_inputs": resource_map.input_parameters,
        "exports": {name: e for name, e in backend.exports.items() if e.exporting_stack_id == stack.stack_id},
    }


def _restore(backend: CloudFormationBackend, stack: Stack, before: dict[str, Any]) -> None:
    stack.template = before["template"]
    stack.template_dict = before["template_dict"]
    stack.parameters = before["parameters"]
    stack.output_map = before["output_map"]
    stack.resource_map._template = before["map_template"]
    stack.resource_map._resource_json_map = before["map_resources"]
    stack.resource_map.input_parameters = before["map_inputs"]
    _drop_exports(backend, stack)
    backend.exports.update(before["exports"])


def _drop_exports(backend: CloudFormationBackend, stack: Stack) -> None:
    for name in [name for name, e in backend.exports.items() if e.exporting_stack_id == stack.stack_id]:
        del backend.exports[name]


def _fail(backend: CloudFormationBackend, change_set: ChangeSet, error: Exception, before: dict[str, Any]) -> None:
    stack = backend.stacks[change_set.stack_id]
    creating = change_set.change_set_type == "CREATE"
    verb = "create" if creating else "update"
    logical_id, resource_type = getattr(error, FAILED_RESOURCE, (stack.name, "AWS::CloudFormation::Stack"))
    resource = stack.resource_map._parsed_resources.get(logical_id)
    status = "CREATE_FAILED" if creating else "UPDATE_FAILED"
    add_resource_event(stack, resource, logical_id, resource_type, status, error_message(error))
    reason = f"The following resource(s) failed to {verb}: [{logical_id}]. "
    if creating:
        reason += "Rollback requested by user."
        stack._add_stack_event("ROLLBACK_IN_PROGRESS", resource_status_reason=reason)
        try:
            stack.resource_map.delete()
        except Exception:
            pass  # CloudFormation would end in ROLLBACK_FAILED; the stack is unusable either way.
        _drop_exports(backend, stack)
        final = "ROLLBACK_COMPLETE"
    else:
        stack._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS", resource_status_reason=reason)
        _restore(backend, stack, before)
        final = "UPDATE_ROLLBACK_COMPLETE"
    stack._add_stack_event(final)
    stack.status = final
    stack.status_reason = reason
    change_set.execution_status = "EXECUTE_FAILED"


def _failing_on_the_stack(original: Callable[..., None]) -> Callable[..., None]:
    def execute_change_set(self: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
        change_set = self.change_sets.get(change_set_name)
        stack = self.stacks.get(change_set.stack_id) if change_set else None
        before = _snapshot(self, stack) if stack else {}
        try:
            original(self, change_set_name, stack_name)
        except Exception as error:
            # A change set that never started was a bad request: that error is the answer.
            if change_set is None or change_set.execution_status != "EXECUTE_IN_PROGRESS":
                raise
            _fail(self, change_set, error, before)

    return execute_change_set


def apply() -> None:
    require(
        (CloudFormationBackend, "execute_change_set"),
        (parsing, "parse_and_create_resource"),
        (parsing, "parse_and_update_resource"),
        (parsing.ResourceMap, "delete"),
        (Stack, "_add_stack_event"),
    )
    parsing.parse_and_create_resource = _naming_the_resource(parsing.parse_and_create_resource)
    parsing.parse_and_update_resource = _naming_the_resource(parsing.parse_and_update_resource)
    CloudFormationBackend.execute_change_set = _failing_on_the_stack(CloudFormationBackend.execute_change_set)

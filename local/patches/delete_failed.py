"""
A stack that fails to delete vanishes instead of ending DELETE_FAILED.

Bug: when a resource cannot be deleted (a VPC that still has dependencies, say), moto's
DeleteStack answers with that resource's error, and the stack disappears: DescribeStacks no
longer knows it, ListStacks does not list it, and its remaining resources are orphaned. A client
cannot tell the deletion failed, and cannot retry it.

Fix: as in CloudFormation, DeleteStack succeeds and the stack stays, DELETE_FAILED, with a
DELETE_FAILED event for the resource that failed (its error as ResourceStatusReason) and a stack
StatusReason naming every resource left. Its exports stay. Deleting it again retries the
resources that are left.
"""

from __future__ import annotations

from typing import Any, Callable

from moto.cloudformation import parsing
from moto.cloudformation.models import CloudFormationBackend, Stack

from . import add_resource_event, error_message, require

# Set on an exception by the resource whose deletion raised it.
FAILED_RESOURCE = "_spec3_failed_deletion"


class _DeleteFailed(Exception):
    def __init__(self, stack: Stack) -> None:
        super().__init__(stack.status_reason)
        self.stack = stack


def _naming_the_resource(original: Callable[..., None]) -> Callable[..., None]:
    def _delete_resource(self: parsing.ResourceMap, parsed_resource: Any, resource_json: dict[str, Any]) -> None:
        try:
            original(self, parsed_resource, resource_json)
        except Exception as error:
            if not hasattr(error, FAILED_RESOURCE):
                setattr(error, FAILED_RESOURCE, (parsed_resource, resource_json.get("Type", "")))
            raise

    return _delete_resource


def _left(stack: Stack) -> list[str]:
    resource_map = stack.resource_map
    return [
        logical_id
        for logical_id, resource_json in resource_map._resource_json_map.items()
        if resource_json.get("DeletionPolicy") != "Retain"
        and resource_map._parsed_resources.get(logical_id) is not None
        and not isinstance(resource_map._parsed_resources.get(logical_id), str)
    ]


def _failing_on_the_stack(original: Callable[[Stack], None]) -> Callable[[Stack], None]:
    def delete(self: Stack) -> None:
        try:
            original(self)
        except Exception as error:
            resource, resource_type = getattr(error, FAILED_RESOURCE, (None, ""))
            if resource is not None:
                logical_id = getattr(resource, "logical_resource_id", "")
                add_resource_event(self, resource, logical_id, resource_type, "DELETE_FAILED", error_message(error))
            self.status = "DELETE_FAILED"
            self.status_reason = f"The following resource(s) failed to delete: [{', '.join(_left(self))}]. "
            self._add_stack_event("DELETE_FAILED", resource_status_reason=self.status_reason)
            raise _DeleteFailed(self) from error

    return delete


def _keeping_the_stack(original: Callable[..., None]) -> Callable[..., None]:
    def delete_stack(self: CloudFormationBackend, name_or_stack_id: str) -> None:
        try:
            original(self, name_or_stack_id)
        except _DeleteFailed as failed:
            # moto took the stack out of its list before deleting its resources: put it back.
            self.stacks[failed.stack.stack_id] = failed.stack

    return delete_stack


def apply() -> None:
    require(
        (CloudFormationBackend, "delete_stack"),
        (Stack, "delete"),
        (Stack, "_add_stack_event"),
        (parsing.ResourceMap, "_delete_resource"),
    )
    parsing.ResourceMap._delete_resource = _naming_the_resource(parsing.ResourceMap._delete_resource)
    Stack.delete = _failing_on_the_stack(Stack.delete)
    CloudFormationBackend.delete_stack = _keeping_the_stack(CloudFormationBackend.delete_stack)

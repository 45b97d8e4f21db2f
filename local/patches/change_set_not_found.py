"""
Change sets that do not exist, and change sets of the same name on two stacks.

Bug: moto finds a change set by ARN, else by name across every stack. For an unknown name,
DeleteChangeSet and ExecuteChangeSet fail with UnboundLocalError (an HTML 500, which SDKs report as
an XML parse error) and DescribeChangeSet answers ValidationError "Stack with id <name> does not
exist". A change set name used on two stacks (a deploy tool naming change sets after the deploy,
not after the stack) resolves to whichever stack's change set moto meets first or last.

Fix: one lookup, by ARN or by name within the given stack (the most recent such change set), that
raises ChangeSetNotFound "ChangeSet [<name>] does not exist" (HTTP 404), as CloudFormation does.
"""

from __future__ import annotations

from typing import Any, Callable

from moto.cloudformation.exceptions import CloudFormationError
from moto.cloudformation.models import ChangeSet, CloudFormationBackend
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult, EmptyResult

from . import require


class ChangeSetNotFound(CloudFormationError):
    code = "ChangeSetNotFound"


def find_change_set(backend: CloudFormationBackend, name: str, stack_name: str | None) -> ChangeSet:
    if name in backend.change_sets:
        return backend.change_sets[name]
    for change_set in reversed(backend.change_sets.values()):
        if change_set.change_set_name == name and (not stack_name or stack_name in (change_set.stack_name, change_set.stack_id)):
            return change_set
    raise ChangeSetNotFound(f"ChangeSet [{name}] does not exist")


def describe_change_set(self: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> ChangeSet:
    return find_change_set(self, change_set_name, stack_name)


def delete_change_set(self: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
    del self.change_sets[find_change_set(self, change_set_name, stack_name).change_set_id]


def _executing_the_one_found(original: Callable[..., None]) -> Callable[..., None]:
    def execute_change_set(self: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
        original(self, find_change_set(self, change_set_name, stack_name).change_set_id, stack_name)

    return execute_change_set


# The request handlers passed the change set name only; they now pass the stack too.
def describe_change_set_request(self: CloudFormationResponse) -> Any:
    backend = self.cloudformation_backend
    return ActionResult(backend.describe_change_set(self._get_param("ChangeSetName"), self._get_param("StackName")))


def delete_change_set_request(self: CloudFormationResponse) -> Any:
    self.cloudformation_backend.delete_change_set(self._get_param("ChangeSetName"), self._get_param("StackName"))
    return EmptyResult()


def apply() -> None:
    require(
        (CloudFormationBackend, "describe_change_set"),
        (CloudFormationBackend, "delete_change_set"),
        (CloudFormationBackend, "execute_change_set"),
        (CloudFormationResponse, "describe_change_set"),
        (CloudFormationResponse, "delete_change_set"),
    )
    CloudFormationBackend.describe_change_set = describe_change_set
    CloudFormationBackend.delete_change_set = delete_change_set
    CloudFormationBackend.execute_change_set = _executing_the_one_found(CloudFormationBackend.execute_change_set)
    CloudFormationResponse.describe_change_set = describe_change_set_request
    CloudFormationResponse.delete_change_set = delete_change_set_request

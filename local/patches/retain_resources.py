"""
DeleteStack ignores RetainResources, and ListStackResources hides which resources failed to delete.

Bug: moto's DeleteStack reads only StackName. A stack that is DELETE_FAILED because of a resource
that is already gone (deleted by hand after the failure) fails again on every retry: moto deletes
the resource again, gets "Requested resource not found", and the stack stays DELETE_FAILED, so
`delete-stack --retain-resources` cannot finish it as it does on CloudFormation. ListStackResources
reports every resource as CREATE_COMPLETE, also those whose deletion failed.

Fix, after the DeleteStack API reference
(https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStack.html):
RetainResources is "for stacks in the DELETE_FAILED state, a list of resource logical IDs that are
associated with the resources you want to retain. During deletion, CloudFormation deletes the
stack but doesn't delete the retained resources." The listed resources are left alone (a
DELETE_SKIPPED event each) and the rest of the stack is deleted. Given for a stack in another
state it is refused with a ValidationError, as CloudFormation does (moto's wording, not AWS's
verbatim text). ListStackResources of a DELETE_FAILED stack reports the resources that are left
(other than those kept by a Retain policy) as DELETE_FAILED, as ListStackResources does after a
failed delete
(https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackResourceSummary.html),
and lists only what is left: moto's own listing would create again the resources the failed delete
had already removed.
"""

from __future__ import annotations

from typing import Any, Callable

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult

from . import add_resource_event, require


def _retaining(original: Callable[[CloudFormationResponse], Any]) -> Callable[[CloudFormationResponse], Any]:
    def delete_stack(self: CloudFormationResponse) -> Any:
        retain = self._get_param("RetainResources", [])
        if retain:
            name = self._get_param("StackName")
            stack = self.cloudformation_backend.get_stack(name)
            if stack.status != "DELETE_FAILED":
                raise ValidationError(
                    message=f"Invalid operation on stack [{stack.stack_id}]. RetainResources can only be specified when the stack is in the DELETE_FAILED state"
                )
            resources = stack.resource_map._parsed_resources
            for logical_id in retain:
                resource = resources.get(logical_id)
                if resource is None or isinstance(resource, str):
                    continue
                resource_type = stack.resource_map._resource_json_map.get(logical_id, {}).get("Type", "")
                add_resource_event(stack, resource, logical_id, resource_type, "DELETE_SKIPPED", "")
                # moto's deletion skips resources that are no longer parsed: the retained one is left alone.
                resources.pop(logical_id)
        return original(self)

    return delete_stack


def _reporting_failed(original: Callable[[CloudFormationResponse], Any]) -> Callable[[CloudFormationResponse], Any]:
    def list_stack_resources(self: CloudFormationResponse) -> Any:
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        if stack.status != "DELETE_FAILED":
            return original(self)
        # Only what is left: moto's own listing parses (and so creates again) every resource of the
        # template that is no longer there, bringing back what the failed delete had removed.
        resource_map = stack.resource_map
        summaries = []
        for logical_id, resource in resource_map._parsed_resources.items():
            if resource is None or isinstance(resource, str):
                continue
            kept = resource_map._resource_json_map.get(logical_id, {}).get("DeletionPolicy") == "Retain"
            summaries.append(
                {
                    "ResourceStatus": "CREATE_COMPLETE" if kept else "DELETE_FAILED",
                    "LogicalResourceId": logical_id,
                    "LastUpdatedTimestamp": "2011-06-21T20:15:58Z",
                    "PhysicalResourceId": getattr(resource, "physical_resource_id", ""),
                    "ResourceType": getattr(resource, "cf_resource_type", ""),
                }
            )
        return ActionResult({"StackResourceSummaries": summaries})

    return list_stack_resources


def apply() -> None:
    require(
        (CloudFormationResponse, "delete_stack"),
        (CloudFormationResponse, "list_stack_resources"),
    )
    CloudFormationResponse.delete_stack = _retaining(CloudFormationResponse.delete_stack)
    CloudFormationResponse.list_stack_resources = _reporting_failed(CloudFormationResponse.list_stack_resources)

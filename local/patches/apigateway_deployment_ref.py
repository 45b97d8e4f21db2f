"""
A Ref to an AWS::ApiGateway::Deployment resolves to a Python object.

Bug: moto's Deployment has no physical resource id, so a template's {"Ref": "<deployment>"} (the
DeploymentId of every Stage) hands the Deployment object itself to the resource that refers to it,
which then stores or serializes an object instead of the deployment id.

Fix: a Deployment's physical resource id is its deployment id, as in CloudFormation.
"""

from __future__ import annotations

from moto.apigateway.models import Deployment

from . import MissingTarget


def physical_resource_id(self: Deployment) -> str:
    return self.id


def apply() -> None:
    if hasattr(Deployment, "physical_resource_id"):
        raise MissingTarget("Deployment.physical_resource_id exists: moto resolves the Ref itself")
    Deployment.physical_resource_id = property(physical_resource_id)

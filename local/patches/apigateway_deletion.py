"""
Deleting a stack does not delete its REST API.

Bug: moto has no CloudFormation delete for AWS::ApiGateway::RestApi (nor for the resources,
methods and deployments inside it): deleting the stack leaves the API, with everything in it, in
GetRestApis.

Fix: deleting an AWS::ApiGateway::RestApi deletes the API, and everything in it with it, as the
API Gateway API does.
"""

from __future__ import annotations

from moto.apigateway.models import APIGatewayBackend, RestAPI, apigateway_backends

from . import MissingTarget, require


def delete(self: RestAPI, account_id: str, region_name: str) -> None:
    apigateway_backends[account_id][region_name].apis.pop(self.id, None)


def apply() -> None:
    require((APIGatewayBackend, "delete_rest_api"))
    if hasattr(RestAPI, "delete"):
        raise MissingTarget("RestAPI.delete exists: moto deletes the API itself")
    RestAPI.delete = delete

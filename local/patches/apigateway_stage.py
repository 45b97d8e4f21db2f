"""
AWS::ApiGateway::Stage is not a CloudFormation resource type in moto.

Bug: moto skips a Stage in a template with a warning, so a REST API deployed by CloudFormation has
no stage, and every Ref to the stage resolves to "None": an API's endpoint output reads
https://<id>.execute-api.<region>.amazonaws.com/None/.

Fix: a CloudFormation model for AWS::ApiGateway::Stage on moto's API Gateway backend: it creates
the stage of the given deployment, answers Ref with the stage name, is replaced on update and
deleted with the stack.
"""

from __future__ import annotations

from typing import Any

from moto.apigateway.models import APIGatewayBackend, apigateway_backends
from moto.core.common_models import CloudFormationModel

from . import ReplacedOnUpdate, register_model, require


class StageResource(ReplacedOnUpdate, CloudFormationModel):
    def __init__(self, rest_api_id: str, name: str) -> None:
        self.rest_api_id = rest_api_id
        self.name = name

    @staticmethod
    def cloudformation_name_type() -> str:
        return "StageName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGateway::Stage"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> StageResource:
        p = cloudformation_json["Properties"]
        rest_api_id = p["RestApiId"]
        apigateway_backends[account_id][region_name].create_stage(
            function_id=rest_api_id,
            stage_name=resource_name,
            deploymentId=p.get("DeploymentId"),
            variables=p.get("Variables"),
            description=p.get("Description", ""),
            cacheClusterEnabled=p.get("CacheClusterEnabled"),
            cacheClusterSize=p.get("CacheClusterSize"),
            tags={t["Key"]: t["Value"] for t in p.get("Tags") or []} or None,
            tracing_enabled=p.get("TracingEnabled"),
        )
        return cls(rest_api_id, resource_name)

    def delete(self, account_id: str, region_name: str) -> None:
        api = apigateway_backends[account_id][region_name].apis.get(self.rest_api_id)
        if api is not None:
            api.stages.pop(self.name, None)

    @property
    def physical_resource_id(self) -> str:
        return self.name


def apply() -> None:
    require((APIGatewayBackend, "create_stage"))
    register_model(StageResource)

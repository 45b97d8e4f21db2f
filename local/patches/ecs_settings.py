"""
moto's CloudFormation ECS resources drop most of what a Fargate service is made of.

Bug: a template's AWS::ECS::Cluster is created without its ClusterSettings (Container Insights
reads "disabled" whatever the template says); a TaskDefinition without Cpu, NetworkMode,
RequiresCompatibilities, TaskRoleArn and ExecutionRoleArn (a Fargate task definition reads as an
EC2 one with no roles), and `Fn::GetAtt` TaskDefinitionArn fails CreateStack; a Service without
LaunchType (it reads EC2), LoadBalancers, NetworkConfiguration and PlatformVersion, and
`Fn::GetAtt` ServiceArn fails CreateStack with "Bad Request".

Fix: those properties are passed to moto's ECS backend, which already models them, and
TaskDefinitionArn and ServiceArn answer the resource's ARN.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.core.utils import pascal_to_camelcase, remap_nested_keys
from moto.ecs.models import Cluster, EC2ContainerServiceBackend, Service, TaskDefinition, ecs_backends

from . import require


def _camel(value: Any) -> Any:
    return remap_nested_keys(value, pascal_to_camelcase) if value else value


def _name_of(value: Any) -> Any:
    """A Ref to a cluster or task definition resolves to the moto object itself."""
    if isinstance(value, Cluster):
        return value.name
    if isinstance(value, TaskDefinition):
        return value.arn
    return value


def _create_cluster(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Cluster:
    p = cloudformation_json["Properties"]
    return ecs_backends[account_id][region_name].create_cluster(
        cluster_name=resource_name,
        cluster_settings=_camel(p.get("ClusterSettings")),
        configuration=_camel(p.get("Configuration")),
        tags=_camel(p.get("Tags")),
    )


def _create_task_definition(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> TaskDefinition:
    p = cloudformation_json["Properties"]
    return ecs_backends[account_id][region_name].register_task_definition(
        family=p.get("Family", resource_name),
        container_definitions=_camel(p.get("ContainerDefinitions", [])),
        volumes=_camel(p.get("Volumes", [])),
        network_mode=p.get("NetworkMode"),
        requires_compatibilities=p.get("RequiresCompatibilities"),
        cpu=p.get("Cpu"),
        memory=p.get("Memory"),
        task_role_arn=p.get("TaskRoleArn"),
        execution_role_arn=p.get("ExecutionRoleArn"),
        runtime_platform=_camel(p.get("RuntimePlatform")),
        ephemeral_storage=_camel(p.get("EphemeralStorage")),
        tags=_camel(p.get("Tags")),
    )


def _create_service(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Service:
    p = cloudformation_json["Properties"]
    return ecs_backends[account_id][region_name].create_service(
        _name_of(p["Cluster"]),
        p.get("ServiceName", resource_name),
        p.get("DesiredCount"),
        task_definition_str=_name_of(p.get("TaskDefinition")),
        load_balancers=_camel(p.get("LoadBalancers")),
        launch_type=p.get("LaunchType"),
        platform_version=p.get("PlatformVersion"),
        network_configuration=_camel(p.get("NetworkConfiguration")),
        deployment_controller=_camel(p.get("DeploymentController")),
        propagate_tags=p.get("PropagateTags", "NONE"),
        tags=_camel(p.get("Tags")),
    )


def _with_arn_attribute(model: type, attribute: str, base: tuple[str, ...]) -> None:
    original = getattr(model, "get_cfn_attribute", None)

    def get_cfn_attribute(self: Any, attribute_name: str) -> Any:
        if attribute_name == attribute:
            return self.arn
        if original is not None and attribute_name in base:
            return original(self, attribute_name)
        raise parsing.UnformattedGetAttTemplateException()

    model.has_cfn_attr = classmethod(lambda cls, attr: attr == attribute or attr in base)  # type: ignore[attr-defined]
    model.get_cfn_attribute = get_cfn_attribute  # type: ignore[attr-defined]


def apply() -> None:
    require(
        (EC2ContainerServiceBackend, "create_cluster"),
        (EC2ContainerServiceBackend, "register_task_definition"),
        (EC2ContainerServiceBackend, "create_service"),
        (Service, "get_cfn_attribute"),
    )
    Cluster.create_from_cloudformation_json = classmethod(_create_cluster)  # type: ignore[assignment]
    TaskDefinition.create_from_cloudformation_json = classmethod(_create_task_definition)  # type: ignore[assignment]
    Service.create_from_cloudformation_json = classmethod(_create_service)  # type: ignore[assignment]
    _with_arn_attribute(TaskDefinition, "TaskDefinitionArn", ())
    _with_arn_attribute(Service, "ServiceArn", ("Name",))

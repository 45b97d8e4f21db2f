"""
moto's CloudFormation load balancers and target groups lose their settings and attributes.

Bug: a template's AWS::ElasticLoadBalancingV2::LoadBalancer is created without its
LoadBalancerAttributes (access logs to S3, dropping invalid headers, ...) and always as an
`application` load balancer; `Fn::GetAtt` LoadBalancerFullName (what CloudWatch metrics of an ALB
are dimensioned by) resolves to the unresolved `{"Fn::GetAtt": ...}` object itself, and
CanonicalHostedZoneID / SecurityGroups likewise. A TargetGroup answers no `Fn::GetAtt` at all:
TargetGroupFullName fails CreateStack with a 500 ("'FakeTargetGroup' object has no attribute
'get_cfn_attribute'"); its TargetGroupAttributes are dropped, and it outlives its stack.

Fix: the load balancer is created with its Type and its attributes, and answers every documented
attribute (LoadBalancerFullName is `app/<name>/<id>`, the tail of its ARN); a target group gets
its attributes, answers TargetGroupArn, TargetGroupName, TargetGroupFullName
(`targetgroup/<name>/<id>`) and LoadBalancerArns, and is deleted with its stack.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.elbv2.models import ELBv2Backend, FakeLoadBalancer, FakeTargetGroup, elbv2_backends

from . import require


def _attributes(properties: dict[str, Any], key: str) -> dict[str, Any]:
    return {a["Key"]: str(a["Value"]) for a in properties.get(key) or [] if "Key" in a and "Value" in a}


def _create_load_balancer(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
    p = cloudformation_json["Properties"]
    backend = elbv2_backends[account_id][region_name]
    balancer = backend.create_load_balancer(
        resource_name,
        p.get("SecurityGroups") or [],
        p.get("Subnets") or [],
        subnet_mappings=p.get("SubnetMappings"),
        scheme=p.get("Scheme", "internet-facing"),
        loadbalancer_type=p.get("Type"),
        ip_address_type=p.get("IpAddressType", "ipv4"),
    )
    attributes = _attributes(p, "LoadBalancerAttributes")
    if attributes:
        backend.modify_load_balancer_attributes(balancer.arn, attributes)
    return balancer


def _load_balancer_attribute(self: FakeLoadBalancer, attribute_name: str) -> Any:
    values = {
        "DNSName": self.dns_name,
        "LoadBalancerName": self.name,
        "LoadBalancerArn": self.arn,
        "LoadBalancerFullName": self.arn.split(":loadbalancer/", 1)[-1],
        "CanonicalHostedZoneID": self.canonical_hosted_zone_id,
        "SecurityGroups": list(self.security_groups or []),
    }
    if attribute_name in values:
        return values[attribute_name]
    raise parsing.UnformattedGetAttTemplateException()


def _target_group_attribute(self: FakeTargetGroup, attribute_name: str) -> Any:
    values = {
        "TargetGroupArn": self.arn,
        "TargetGroupName": self.name,
        "TargetGroupFullName": self.arn.split(":", 5)[-1],
        "LoadBalancerArns": list(self.load_balancer_arns),
    }
    if attribute_name in values:
        return values[attribute_name]
    raise parsing.UnformattedGetAttTemplateException()


def apply() -> None:
    require(
        (FakeLoadBalancer, "create_from_cloudformation_json"),
        (FakeTargetGroup, "create_from_cloudformation_json"),
        (ELBv2Backend, "modify_load_balancer_attributes"),
        (ELBv2Backend, "modify_target_group_attributes"),
        (ELBv2Backend, "delete_target_group"),
    )
    FakeLoadBalancer.create_from_cloudformation_json = classmethod(_create_load_balancer)  # type: ignore[assignment]
    FakeLoadBalancer.has_cfn_attr = classmethod(  # type: ignore[assignment]
        lambda cls, attr: attr in ("DNSName", "LoadBalancerName", "LoadBalancerArn", "LoadBalancerFullName", "CanonicalHostedZoneID", "SecurityGroups")
    )
    FakeLoadBalancer.get_cfn_attribute = _load_balancer_attribute  # type: ignore[assignment]

    create_target_group = FakeTargetGroup.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def create_from_cloudformation_json(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        group = create_target_group(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        attributes = _attributes(cloudformation_json["Properties"], "TargetGroupAttributes")
        if attributes:
            elbv2_backends[account_id][region_name].modify_target_group_attributes(group.arn, attributes)
        return group

    def delete(self: FakeTargetGroup, account_id: str, region_name: str) -> None:
        elbv2_backends[account_id][region_name].delete_target_group(self.arn)

    FakeTargetGroup.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)  # type: ignore[assignment]
    FakeTargetGroup.has_cfn_attr = classmethod(  # type: ignore[assignment]
        lambda cls, attr: attr in ("TargetGroupArn", "TargetGroupName", "TargetGroupFullName", "LoadBalancerArns")
    )
    FakeTargetGroup.get_cfn_attribute = _target_group_attribute  # type: ignore[assignment]
    FakeTargetGroup.delete = delete  # type: ignore[attr-defined]

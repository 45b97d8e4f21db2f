"""
Resource types moto's CloudFormation does not know break the wiring of the stacks that use them.

Bug: moto skips a resource of a type it has no CloudFormation model for (WAFv2, Secrets Manager,
CodeDeploy, an IAM OIDC provider, Application Auto Scaling, OpenSearch Serverless, Neptune, a
security group egress rule) with a warning. A `Ref` to it then resolves to "None", so an SSM
parameter or an ECS secret that carries it holds "None"; a `Fn::GetAtt` on it fails CreateStack:
in Outputs with an HTML 500 (AttributeError), in a property with a 400 ("Bad Request").

Fix: a stand-in CloudFormation model for each type in `STAND_INS` (only types moto lacks; a type
moto models is refused by `register_model`). A stand-in keeps the resource's properties, answers
`Ref` and every attribute the real type documents with values in the real formats (ARNs with the
stack's account and region, `<id>.<region>.aoss.amazonaws.com`, Neptune's
`<cluster>.cluster-<hash>.<region>.neptune.amazonaws.com` on port 8182, ...), is replaced when a
create-only property changes and updated in place otherwise, and goes with its stack. Nothing
behind it runs: each one created prints "placeholder for <type> <logical id>: not emulated".
The list of types is mirrored by src/aws/local-stand-ins.ts, which tells users about them.
"""

from __future__ import annotations

import sys
import weakref
from dataclasses import dataclass
from typing import Any, Callable

from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel
from moto.moto_api._internal import mock_random as random

from . import register_model


@dataclass(frozen=True)
class Context:
    """What a stand-in's identity is made from."""

    name: str  # the name property's value, or the name CloudFormation would generate
    properties: dict[str, Any]
    account: str
    region: str

    def arn(self, service: str, resource: str, region: bool = True) -> str:
        return f"arn:aws:{service}:{self.region if region else ''}:{self.account}:{resource}"


# A type's identity: (Ref value, {attribute: value}), made once when the resource is created.
Identity = Callable[[Context], "tuple[str, dict[str, Any]]"]


@dataclass(frozen=True)
class StandIn:
    """One resource type the local AWS stands in for."""

    identity: Identity
    # The property CloudFormation takes the resource's name from ("" when it has none).
    name_property: str = ""
    # Properties whose change replaces the resource (its schema's createOnlyProperties).
    replaced_by: tuple[str, ...] = ()
    lower_case_name: bool = False


def _hex(length: int) -> str:
    return random.get_random_hex(length)


def _lower(length: int) -> str:
    return random.get_random_string(length, lower_case=True)


def _upper(length: int) -> str:
    return random.get_random_string(length).upper()


def _web_acl(c: Context) -> tuple[str, dict[str, Any]]:
    acl_id = str(random.uuid4())
    scope = c.properties.get("Scope", "REGIONAL")
    arn = c.arn("wafv2", f"{'global' if scope == 'CLOUDFRONT' else 'regional'}/webacl/{c.name}/{acl_id}")
    label_namespace = f"awswaf:{c.account}:webacl:{c.name}:"
    return f"{c.name}|{acl_id}|{scope}", {"Arn": arn, "Id": acl_id, "Capacity": 0, "LabelNamespace": label_namespace}


def _web_acl_association(c: Context) -> tuple[str, dict[str, Any]]:
    return f"{c.properties.get('ResourceArn')}|{c.properties.get('WebACLArn')}", {}


def _waf_logging(c: Context) -> tuple[str, dict[str, Any]]:
    return str(c.properties.get("ResourceArn")), {"ManagedByFirewallManager": "false"}


def _secret(c: Context) -> tuple[str, dict[str, Any]]:
    arn = c.arn("secretsmanager", f"secret:{c.name}-{random.get_random_string(6)}")
    return arn, {"Id": arn}


def _named(c: Context) -> tuple[str, dict[str, Any]]:
    return c.name, {}


def _code_deploy_application(c: Context) -> tuple[str, dict[str, Any]]:
    return c.name, {"ApplicationName": c.name}


def _oidc_provider(c: Context) -> tuple[str, dict[str, Any]]:
    url = str(c.properties.get("Url", "")).removeprefix("https://")
    arn = c.arn("iam", f"oidc-provider/{url}", region=False)
    return arn, {"Arn": arn}


def _scalable_target(c: Context) -> tuple[str, dict[str, Any]]:
    p = c.properties
    target_id = f"{p.get('ResourceId')}|{p.get('ScalableDimension')}|{p.get('ServiceNamespace')}"
    return target_id, {"Id": target_id}


def _scaling_policy(c: Context) -> tuple[str, dict[str, Any]]:
    p = c.properties
    namespace, resource_id = p.get("ServiceNamespace"), p.get("ResourceId")
    target = p.get("ScalingTargetId")
    if isinstance(target, str) and target.count("|") == 2:  # a Ref to a ScalableTarget
        resource_id, _, namespace = target.split("|")
    arn = c.arn("autoscaling", f"scalingPolicy:{random.uuid4()}:resource/{namespace}/{resource_id}:policyName/{c.name}")
    return arn, {"Arn": arn}


def _collection(c: Context) -> tuple[str, dict[str, Any]]:
    collection_id = _lower(20)
    endpoint = f"https://{collection_id}.{c.region}.aoss.amazonaws.com"
    return collection_id, {
        "Id": collection_id,
        "Arn": c.arn("aoss", f"collection/{collection_id}"),
        "CollectionEndpoint": endpoint,
        "DashboardEndpoint": f"{endpoint}/_dashboards",
        "FipsEndpoints": {
            "CollectionEndpoint": f"https://{collection_id}.{c.region}.aoss-fips.amazonaws.com",
            "DashboardEndpoint": f"https://{collection_id}.{c.region}.aoss-fips.amazonaws.com/_dashboards",
        },
        "KmsKeyArn": c.arn("kms", f"key/{random.uuid4()}"),
    }


def _aoss_policy(c: Context) -> tuple[str, dict[str, Any]]:
    return f"{c.properties.get('Type')}|{c.name}", {}


def _aoss_vpc_endpoint(c: Context) -> tuple[str, dict[str, Any]]:
    endpoint_id = f"vpce-{_hex(17)}"
    return endpoint_id, {"Id": endpoint_id}


def _neptune_cluster(c: Context) -> tuple[str, dict[str, Any]]:
    suffix = f"{_lower(12)}.{c.region}.neptune.amazonaws.com"
    return c.name, {
        "ClusterResourceId": f"cluster-{_upper(26)}",
        "Endpoint": f"{c.name}.cluster-{suffix}",
        "ReadEndpoint": f"{c.name}.cluster-ro-{suffix}",
        "Port": str(c.properties.get("Port", 8182)),
    }


def _neptune_instance(c: Context) -> tuple[str, dict[str, Any]]:
    return c.name, {"Endpoint": f"{c.name}.{_lower(12)}.{c.region}.neptune.amazonaws.com", "Port": "8182"}


def _egress_rule(c: Context) -> tuple[str, dict[str, Any]]:
    rule_id = f"sgr-{_hex(17)}"
    return rule_id, {"Id": rule_id}


def _user_pool(c: Context) -> tuple[str, dict[str, Any]]:
    # Pool ids are "<region>_<9 letters and digits>" (Cognito API reference, UserPoolType.Id).
    pool_id = f"{c.region}_{random.get_random_string(9)}"
    provider = f"cognito-idp.{c.region}.amazonaws.com/{pool_id}"
    return pool_id, {
        "Arn": c.arn("cognito-idp", f"userpool/{pool_id}"),
        "ProviderName": provider,
        "ProviderURL": f"https://{provider}",
        "UserPoolId": pool_id,
    }


def _api_authorizer(c: Context) -> tuple[str, dict[str, Any]]:
    # API Gateway ids are 10 lower-case letters and digits, like moto's own RestApi ids.
    authorizer_id = _lower(10)
    return authorizer_id, {"AuthorizerId": authorizer_id}


# Every type the local AWS stands in for. Keep in step with src/aws/local-stand-ins.ts.
STAND_INS: dict[str, StandIn] = {
    "AWS::WAFv2::WebACL": StandIn(_web_acl, "Name", ("Name", "Scope")),
    "AWS::WAFv2::WebACLAssociation": StandIn(_web_acl_association, "", ("ResourceArn", "WebACLArn")),
    "AWS::WAFv2::LoggingConfiguration": StandIn(_waf_logging, "", ("ResourceArn",)),
    "AWS::SecretsManager::Secret": StandIn(_secret, "Name", ("Name",)),
    "AWS::CodeDeploy::Application": StandIn(_code_deploy_application, "ApplicationName", ("ApplicationName", "ComputePlatform")),
    "AWS::CodeDeploy::DeploymentGroup": StandIn(_named, "DeploymentGroupName", ("DeploymentGroupName", "ApplicationName")),
    "AWS::IAM::OIDCProvider": StandIn(_oidc_provider, "", ("Url",)),
    "AWS::ApplicationAutoScaling::ScalableTarget": StandIn(
        _scalable_target, "", ("ResourceId", "ScalableDimension", "ServiceNamespace")
    ),
    "AWS::ApplicationAutoScaling::ScalingPolicy": StandIn(
        _scaling_policy, "PolicyName", ("PolicyName", "ServiceNamespace", "ResourceId", "ScalableDimension", "ScalingTargetId")
    ),
    "AWS::OpenSearchServerless::Collection": StandIn(
        _collection, "Name", ("Name", "Tags", "Type", "StandbyReplicas", "EncryptionConfig"), lower_case_name=True
    ),
    "AWS::OpenSearchServerless::SecurityPolicy": StandIn(_aoss_policy, "Name", ("Type", "Name"), lower_case_name=True),
    "AWS::OpenSearchServerless::AccessPolicy": StandIn(_aoss_policy, "Name", ("Type", "Name"), lower_case_name=True),
    "AWS::OpenSearchServerless::VpcEndpoint": StandIn(_aoss_vpc_endpoint, "Name", ("Name", "VpcId"), lower_case_name=True),
    "AWS::Neptune::DBCluster": StandIn(
        _neptune_cluster,
        "DBClusterIdentifier",
        ("DBClusterIdentifier", "DBSubnetGroupName", "KmsKeyId", "StorageEncrypted", "AvailabilityZones", "SnapshotIdentifier"),
        lower_case_name=True,
    ),
    "AWS::Neptune::DBInstance": StandIn(
        _neptune_instance,
        "DBInstanceIdentifier",
        ("DBInstanceIdentifier", "DBClusterIdentifier", "DBSubnetGroupName", "AvailabilityZone"),
        lower_case_name=True,
    ),
    "AWS::Neptune::DBSubnetGroup": StandIn(_named, "DBSubnetGroupName", ("DBSubnetGroupName",), lower_case_name=True),
    "AWS::Neptune::DBClusterParameterGroup": StandIn(_named, "Name", ("Name", "Description", "Family"), lower_case_name=True),
    "AWS::Neptune::DBParameterGroup": StandIn(_named, "Name", ("Name", "Description", "Family"), lower_case_name=True),
    # Code extensions (examples/extended): a Cognito user pool and its authorizer on the REST API.
    "AWS::Cognito::UserPool": StandIn(_user_pool, "UserPoolName", ("AliasAttributes", "UsernameAttributes")),
    "AWS::ApiGateway::Authorizer": StandIn(_api_authorizer, "Name", ("RestApiId",)),
    "AWS::EC2::SecurityGroupEgress": StandIn(
        _egress_rule,
        "",
        ("GroupId", "IpProtocol", "FromPort", "ToPort", "CidrIp", "CidrIpv6", "DestinationSecurityGroupId", "DestinationPrefixListId"),
    ),
}

# The stand-ins that exist, by (account, region, type, Ref value): what tests look at to see one
# go with its stack. Weak, so that a reset of the server (which drops stacks) drops them too.
LIVE: "weakref.WeakValueDictionary[tuple[str, str, str, str], Placeholder]" = weakref.WeakValueDictionary()


class Placeholder:
    """The behaviour every stand-in model shares; each type gets its own subclass (see `_model`)."""

    resource_type: str
    stand_in: StandIn
    attribute_names: frozenset[str]  # every attribute the real type documents

    def __init__(self, context: Context, ref: str, attributes: dict[str, Any]) -> None:
        self.name = context.name
        self.properties = context.properties
        self.account = context.account
        self.region = context.region
        self.ref = ref
        self.attributes = attributes

    @property
    def physical_resource_id(self) -> str:
        return self.ref

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.resource_type

    @classmethod
    def cloudformation_name_type(cls) -> str:
        return cls.stand_in.name_property

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.attribute_names

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name in self.attributes:
            return self.attributes[attribute_name]
        raise parsing.UnformattedGetAttTemplateException()

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> Placeholder:
        name = resource_name.lower() if cls.stand_in.lower_case_name else resource_name
        return cls._create(Context(name, dict(cloudformation_json.get("Properties") or {}), account_id, region_name), kwargs.get("LogicalId"))

    @classmethod
    def _create(cls, context: Context, logical_id: str | None) -> Placeholder:
        ref, attributes = cls.stand_in.identity(context)
        placeholder = cls(context, ref, attributes)
        LIVE[(context.account, context.region, cls.resource_type, ref)] = placeholder
        print(f"spec3 local AWS: placeholder for {cls.resource_type} {logical_id or context.name}: not emulated", file=sys.stderr)
        return placeholder

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Placeholder, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
    ) -> Placeholder:
        properties = dict(cloudformation_json.get("Properties") or {})
        replaced = any(properties.get(p) != original_resource.properties.get(p) for p in cls.stand_in.replaced_by)
        if not replaced:
            original_resource.properties = properties  # an update in place keeps the identity
            return original_resource
        original_resource.delete(account_id, region_name)
        name = properties.get(cls.stand_in.name_property) if cls.stand_in.name_property else None
        if not name:
            name = new_resource_name.lower() if cls.stand_in.lower_case_name else new_resource_name
        return cls._create(Context(name, properties, account_id, region_name), getattr(original_resource, "logical_resource_id", None))

    @classmethod
    def delete_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
    ) -> None:
        LIVE.pop((account_id, region_name, cls.resource_type, resource_name), None)

    def delete(self, account_id: str, region_name: str) -> None:
        LIVE.pop((self.account, self.region, self.resource_type, self.ref), None)

    def is_created(self) -> bool:
        return True


def _model(resource_type: str, stand_in: StandIn) -> type:
    """A direct subclass of CloudFormationModel: moto finds models by listing those."""
    attribute_names = frozenset(stand_in.identity(_SAMPLE)[1])  # an identity answers every attribute
    class_name = "Placeholder" + resource_type.replace("AWS::", "").replace("::", "")
    namespace = {"resource_type": resource_type, "stand_in": stand_in, "attribute_names": attribute_names}
    return type(class_name, (Placeholder, CloudFormationModel), namespace)


# Properties enough for every identity function to name its attributes.
_SAMPLE = Context("sample", {"Url": "https://example.com", "Type": "encryption"}, "123456789012", "us-east-1")


def apply() -> None:
    modelled = set(parsing.get_model_map())
    for resource_type, stand_in in STAND_INS.items():
        if resource_type in modelled:  # never shadow what moto emulates
            print(f"spec3 local AWS: no placeholder for {resource_type}: moto has a model for it", file=sys.stderr)
            continue
        register_model(_model(resource_type, stand_in))

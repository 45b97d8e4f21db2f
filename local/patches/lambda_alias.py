"""
AWS::Lambda::Alias is not a CloudFormation resource type in moto, and AWS::Lambda::Version has
no attributes.

Bug: moto skips aliases in a template with a warning, so none is created and `Ref` on one
resolves to nothing: an output of it is dropped, and an SSM parameter carrying the alias ARN (how
spec3 hands it to later stacks) fails CreateStack with "Value '' at 'value' failed to satisfy
constraint". Whatever points at the alias (a permission, an event source mapping, an API
integration) names a function that does not exist. And the FunctionVersion CDK gives an alias,
`Fn::GetAtt [Version, Version]`, fails CreateStack with an HTML 500 (LambdaVersion has no
get_cfn_attribute).

Fix: a CloudFormation model for AWS::Lambda::Alias on moto's Lambda backend: it creates the
alias (Name, FunctionName, FunctionVersion, Description; ProvisionedConcurrencyConfig and
RoutingConfig are ignored, as nothing runs), answers Ref and GetAtt AliasArn with the alias ARN,
moves it to a new version on update (a new name or function replaces it) and deletes it with the
stack. Versions answer GetAtt Version with their number and Ref with their ARN. With the alias
in the backend, moto's own permission, event source mapping and lookups accept the alias ARN.
"""

from __future__ import annotations

from typing import Any

from moto.awslambda.models import LambdaBackend, LambdaVersion, lambda_backends
from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel

from . import register_model, require


def _backend(account_id: str, region_name: str) -> LambdaBackend:
    return lambda_backends[account_id][region_name]


def _function_name(backend: LambdaBackend, name_or_arn: str) -> str:
    """The bare function name: a template may give a name or an ARN."""
    return backend.get_function(name_or_arn).function_name


class AliasResource(CloudFormationModel):
    def __init__(self, name: str, function_name: str, arn: str) -> None:
        self.name = name
        self.function_name = function_name
        self.arn = arn

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Lambda::Alias"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> AliasResource:
        p = cloudformation_json["Properties"]
        backend = _backend(account_id, region_name)
        function_name = _function_name(backend, p["FunctionName"])
        alias = backend.create_alias(
            name=p["Name"],
            function_name=function_name,
            function_version=str(p["FunctionVersion"]),
            description=p.get("Description", ""),
            routing_config=None,  # type: ignore[arg-type]
        )
        return cls(alias.name, function_name, alias.arn)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
    ) -> AliasResource:
        p = cloudformation_json["Properties"]
        backend = _backend(account_id, region_name)
        function_name = _function_name(backend, p["FunctionName"])
        if p["Name"] != original_resource.name or function_name != original_resource.function_name:
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        backend.update_alias(
            name=original_resource.name,
            function_name=function_name,
            function_version=str(p["FunctionVersion"]),
            description=p.get("Description", ""),
            routing_config=None,  # type: ignore[arg-type]
        )
        return original_resource  # type: ignore[no-any-return]

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        # Deleting the function first takes its aliases with it; nothing is left to delete then.
        if self.function_name in {f.function_name for f in backend.list_functions()}:
            backend.delete_alias(self.name, self.function_name)

    @property
    def physical_resource_id(self) -> str:
        return self.arn

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "AliasArn"

    def get_cfn_attribute(self, attribute_name: str) -> str:
        if attribute_name == "AliasArn":
            return self.arn
        raise parsing.UnformattedGetAttTemplateException()


def _version_attribute(self: Any, attribute_name: str) -> str:
    if attribute_name == "Version":
        return str(self.version)
    raise parsing.UnformattedGetAttTemplateException()


def _version_arn(self: Any) -> str:
    return str(self.function_arn)


def apply() -> None:
    require(
        (LambdaBackend, "create_alias"),
        (LambdaBackend, "update_alias"),
        (LambdaBackend, "delete_alias"),
        (LambdaBackend, "publish_version"),
        (LambdaVersion, "create_from_cloudformation_json"),
    )
    register_model(AliasResource)
    LambdaVersion.get_cfn_attribute = _version_attribute  # type: ignore[attr-defined]
    _remember_version_arn()


def _remember_version_arn() -> None:
    """moto keeps only the version number; Ref on a version is its qualified ARN."""
    original = LambdaVersion.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def create_from_cloudformation_json(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        version = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        function = _backend(account_id, region_name).get_function(cloudformation_json["Properties"]["FunctionName"], str(version.version))
        version.function_arn = function.function_arn
        return version

    LambdaVersion.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)  # type: ignore[assignment]
    LambdaVersion.physical_resource_id = property(_version_arn)  # type: ignore[attr-defined]

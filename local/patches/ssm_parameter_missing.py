"""
An SSM-typed template parameter naming a parameter that does not exist.

Bug: for a parameter of type AWS::SSM::Parameter::Value<...> whose SSM parameter is missing, moto
fails with "AttributeError: 'NoneType' object has no attribute 'value'": an HTML 500 on CreateStack
and UpdateStack, while CreateChangeSet accepts it and the failure comes only when the change set
executes. CloudFormation refuses all three at once with ValidationError "Unable to fetch
parameters [<name>] from parameter store for this account." (the error a deploy to an account
that was never bootstrapped meets first).

Fix: moto's SSM lookup for template parameters raises that ValidationError, and CreateChangeSet
looks up the template's SSM-typed parameters before it creates anything.
"""

from __future__ import annotations

from typing import Any, Callable

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend, Stack
from moto.cloudformation.parsing import ResourceMap
from moto.ssm.models import ssm_backends

from . import require

SSM_VALUE = "AWS::SSM::Parameter::Value<"


def _missing(name: str) -> ValidationError:
    return ValidationError(message=f"Unable to fetch parameters [{name}] from parameter store for this account.")


def _found(account_id: str, region_name: str, name: str) -> bool:
    try:
        return ssm_backends[account_id][region_name].get_parameter(name) is not None
    except Exception:
        return False


def _checking_existence(original: Callable[..., Any]) -> Callable[..., Any]:
    def parse_ssm_parameter(self: ResourceMap, value: str, value_type: str) -> Any:
        if not _found(self._account_id, self._region_name, value):
            raise _missing(value)
        return original(self, value, value_type)

    return parse_ssm_parameter


def _checking_before_create(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_change_set(self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Any:
        template = kwargs.get("template")
        given = kwargs.get("parameters") or {}
        declared = (Stack.parse_template(template) if isinstance(template, str) else {}).get("Parameters") or {}
        for key, slot in declared.items():
            name = given.get(key, slot.get("Default"))
            if str(slot.get("Type", "")).startswith(SSM_VALUE) and name and not _found(self.account_id, self.region_name, name):
                raise _missing(name)
        return original(self, *args, **kwargs)

    return create_change_set


def apply() -> None:
    require(
        (ResourceMap, "parse_ssm_parameter"),
        (CloudFormationBackend, "create_change_set"),
        (Stack, "parse_template"),
    )
    ResourceMap.parse_ssm_parameter = _checking_existence(ResourceMap.parse_ssm_parameter)
    CloudFormationBackend.create_change_set = _checking_before_create(CloudFormationBackend.create_change_set)

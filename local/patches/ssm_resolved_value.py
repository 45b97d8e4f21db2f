"""
DescribeStacks shows the SSM value of an SSM-typed parameter instead of its name.

Bug: for a parameter of type AWS::SSM::Parameter::Value<...>, CloudFormation's DescribeStacks gives
the SSM parameter name as ParameterValue and the value it used as ResolvedValue. moto gives the
value as ParameterValue and no ResolvedValue, so a client cannot tell which SSM parameter a stack
read, nor compare it with what it would pass. NoEcho parameters are not masked either (moto
compares their value, not their key, with the NoEcho keys, and never lists one left to its default).

Fix: ParameterValue is the value the stack was given (else the template's default) and, for an
SSM-typed parameter, ResolvedValue is the SSM value used; list values are comma-joined; NoEcho
parameters show "****".
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.models import Stack

from . import require


def _text(value: Any) -> Any:
    return ",".join(str(v) for v in value) if isinstance(value, list) else value


def parameter_list(self: Stack) -> list[dict[str, Any]]:
    declared = (self.template_dict or {}).get("Parameters") or {}
    result = []
    for key, resolved in self.resource_map.resolved_parameters.items():
        slot = declared.get(key) or {}
        entry: dict[str, Any] = {"ParameterKey": key}
        if str(slot.get("Type", "")).startswith("AWS::SSM::Parameter::Value<"):
            entry["ParameterValue"] = self.parameters.get(key, slot.get("Default"))
            entry["ResolvedValue"] = _text(resolved)
        else:
            no_echo = str(slot.get("NoEcho", "")).lower() == "true"
            entry["ParameterValue"] = "****" if no_echo else _text(resolved)
        result.append(entry)
    return result


def apply() -> None:
    require((Stack, "parameter_list"))
    Stack.parameter_list = property(parameter_list)

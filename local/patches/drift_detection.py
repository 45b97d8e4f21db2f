"""
CloudFormation drift detection.

Bug: moto implements none of CloudFormation's drift operations. DetectStackDrift,
DescribeStackDriftDetectionStatus, DescribeStackResourceDrifts and DetectStackResourceDrift answer
an HTML 500 (SDKs report an XML parse error), and stacks and resources carry no DriftInformation.

Fix: drift detection runs at once against the emulator's own state. A resource of a type in
drift_resources.LIVE_STATE (Lambda function, SQS queue, SSM parameter, DynamoDB table, S3 bucket)
is compared with the properties its template sets, resolved as they were when the resource was
created or last updated (parameters, Ref, Fn::GetAtt...): IN_SYNC, MODIFIED with its property
differences, or DELETED when its physical resource is gone. Other types are NOT_CHECKED and, as in
CloudFormation, left out of DescribeStackResourceDrifts. DescribeStacks shows the stack's
DriftInformation (NOT_CHECKED until a detection); ListStackResources and DescribeStackResource(s)
show each resource's.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend, Stack
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random

from . import require
from .drift_resources import LIVE_STATE, Properties

# Where the state lives: on moto's own objects, so that a reset of the server forgets it.
RESOLVED = "spec3_resolved_properties"  # ResourceMap: logical id -> Properties as deployed
DETECTIONS = "spec3_drift_detections"  # CloudFormationBackend: detection id -> status
RESOURCE_DRIFTS = "spec3_resource_drifts"  # Stack: logical id -> latest StackResourceDrift
DRIFTED = ("MODIFIED", "DELETED")


# --- The properties each resource was deployed with ---------------------------------------------


def _recording_resolved(original: Callable[..., Any]) -> Callable[..., Any]:
    def parse_resource_and_generate_name(logical_id: str, resource_json: dict[str, Any], resources_map: Any) -> Any:
        parsed = original(logical_id, resource_json, resources_map)
        if parsed:
            # A copy taken now: creating the resource may change the dict moto passes it.
            properties = json.loads(json.dumps(parsed[1].get("Properties") or {}, default=str))
            if not hasattr(resources_map, RESOLVED):
                setattr(resources_map, RESOLVED, {})
            getattr(resources_map, RESOLVED)[logical_id] = properties
        return parsed

    return parse_resource_and_generate_name


# --- Comparing ----------------------------------------------------------------------------------


def _like(expected: Any, actual: Any) -> Any:
    """The template's value in the live value's type: templates often give numbers and booleans as
    strings ("30", "true"), and JSON properties as a JSON string."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {key: _like(value, actual.get(key)) for key, value in expected.items()}
    if isinstance(expected, list) and isinstance(actual, list):
        return [_like(value, actual[i] if i < len(actual) else None) for i, value in enumerate(expected)]
    if not isinstance(expected, str):
        return expected
    try:
        if isinstance(actual, bool):
            return {"true": True, "false": False}.get(expected.lower(), expected)
        if isinstance(actual, int):
            return int(expected)
        if isinstance(actual, float):
            return float(expected)
        if isinstance(actual, (dict, list)):
            return json.loads(expected)
    except ValueError:
        pass
    return expected


def _tags_as_set(value: Any) -> Any:
    """Tag lists are compared as sets: their order is not drift."""
    if isinstance(value, list) and all(isinstance(item, dict) and "Key" in item for item in value):
        return sorted(value, key=lambda tag: str(tag["Key"]))
    return value


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _difference(path: str, expected: Any, actual: Any, kind: str) -> dict[str, str]:
    return {"PropertyPath": path, "ExpectedValue": _text(expected), "ActualValue": _text(actual), "DifferenceType": kind}


def differences(expected: Any, actual: Any, path: str = "") -> list[dict[str, str]]:
    expected, actual = _tags_as_set(expected), _tags_as_set(actual)
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in list(expected) + [key for key in actual if key not in expected]:
            here = f"{path}/{key}"
            if actual.get(key) is None and expected.get(key) is not None:
                found.append(_difference(here, expected[key], None, "REMOVE"))
            elif key not in expected and actual[key] is not None:
                found.append(_difference(here, None, actual[key], "ADD"))
            elif key in expected:
                found += differences(expected[key], actual[key], here)
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        found = []
        for i in range(max(len(expected), len(actual))):
            if i >= len(actual):
                found.append(_difference(f"{path}/{i}", expected[i], None, "REMOVE"))
            elif i >= len(expected):
                found.append(_difference(f"{path}/{i}", None, actual[i], "ADD"))
            else:
                found += differences(expected[i], actual[i], f"{path}/{i}")
        return found
    return [] if expected == actual else [_difference(path, expected, actual, "NOT_EQUAL")]


def _check(stack: Stack, logical_id: str, resource: Any, resource_type: str) -> dict[str, Any]:
    """The StackResourceDrift of one resource, checked now. `resource` is moto's model of it, None
    for a resource moto skipped (a type it lacks)."""
    drift: dict[str, Any] = {
        "StackId": stack.stack_id,
        "LogicalResourceId": logical_id,
        "PhysicalResourceId": getattr(resource, "physical_resource_id", None),
        "ResourceType": resource_type,
        "Timestamp": utcnow(),
    }
    read = LIVE_STATE.get(resource_type)
    if read is None or resource is None:
        return {**drift, "StackResourceDriftStatus": "NOT_CHECKED"}
    template: Properties = getattr(stack.resource_map, RESOLVED, {}).get(logical_id, {})
    try:
        live = read(resource.physical_resource_id, stack.account_id, stack.region_name, template)
    except Exception as error:
        return {**drift, "StackResourceDriftStatus": "UNKNOWN", "DriftStatusReason": f"{type(error).__name__}: {error}"}
    if live is None:
        return {**drift, "StackResourceDriftStatus": "DELETED"}
    actual = {key: live[key] for key in template if key in live}
    expected = {key: _like(template[key], actual[key]) for key in actual}
    found = differences(expected, actual)
    drift["ExpectedProperties"] = _text(expected)
    drift["ActualProperties"] = _text({key: value for key, value in actual.items() if value is not None})
    if found:
        drift["PropertyDifferences"] = found
    return {**drift, "StackResourceDriftStatus": "MODIFIED" if found else "IN_SYNC"}


def _resources(stack: Stack) -> dict[str, tuple[Any, str]]:
    """The stack's resources that exist in the emulator: logical id -> (moto's model, type)."""
    resource_map = stack.resource_map
    parsed = resource_map._parsed_resources
    return {
        logical_id: (parsed[logical_id], resource_json.get("Type", ""))
        for logical_id, resource_json in resource_map._resource_json_map.items()
        if parsed.get(logical_id) is not None
    }


def _remember(stack: Stack, drift: dict[str, Any]) -> None:
    if drift["StackResourceDriftStatus"] == "NOT_CHECKED":
        return
    if not hasattr(stack, RESOURCE_DRIFTS):
        setattr(stack, RESOURCE_DRIFTS, {})
    getattr(stack, RESOURCE_DRIFTS)[drift["LogicalResourceId"]] = drift


def _resource_drift_information(stack: Stack, logical_id: str | None) -> dict[str, Any]:
    drift = getattr(stack, RESOURCE_DRIFTS, {}).get(logical_id)
    if drift is None:
        return {"StackResourceDriftStatus": "NOT_CHECKED"}
    return {"StackResourceDriftStatus": drift["StackResourceDriftStatus"], "LastCheckTimestamp": drift["Timestamp"]}


def detect(stack: Stack, logical_ids: list[str] | None) -> dict[str, Any]:
    """One DetectStackDrift, complete: its DescribeStackDriftDetectionStatus answer."""
    started = utcnow()
    checked = [
        _check(stack, logical_id, resource, resource_type)
        for logical_id, (resource, resource_type) in _resources(stack).items()
        if not logical_ids or logical_id in logical_ids
    ]
    checked = [drift for drift in checked if drift["StackResourceDriftStatus"] != "NOT_CHECKED"]
    for drift in checked:
        _remember(stack, drift)
    statuses = [drift["StackResourceDriftStatus"] for drift in checked]
    failed = [drift for drift in checked if drift["StackResourceDriftStatus"] == "UNKNOWN"]
    if any(status in DRIFTED for status in statuses):
        stack_status = "DRIFTED"
    elif failed:
        stack_status = "UNKNOWN"
    else:
        stack_status = "IN_SYNC" if checked else "NOT_CHECKED"
    detection: dict[str, Any] = {
        "StackId": stack.stack_id,
        "StackDriftDetectionId": str(mock_random.uuid4()),
        "StackDriftStatus": stack_status,
        "DetectionStatus": "DETECTION_FAILED" if failed else "DETECTION_COMPLETE",
        "DriftedStackResourceCount": sum(status in DRIFTED for status in statuses),
        "Timestamp": started,
    }
    if failed:
        reasons = "; ".join(f"{drift['LogicalResourceId']}: {drift['DriftStatusReason']}" for drift in failed)
        detection["DetectionStatusReason"] = f"Failed to detect drift on resources [{reasons}]"
    stack.drift_information = {"StackDriftStatus": stack_status, "LastCheckTimestamp": started}
    return detection


# --- The actions --------------------------------------------------------------------------------


def _detections(backend: CloudFormationBackend) -> dict[str, dict[str, Any]]:
    if not hasattr(backend, DETECTIONS):
        setattr(backend, DETECTIONS, {})
    return getattr(backend, DETECTIONS)


def detect_stack_drift(self: CloudFormationResponse) -> Any:
    backend = self.cloudformation_backend
    detection = detect(backend.get_stack(self._get_param("StackName")), self._get_param("LogicalResourceIds"))
    _detections(backend)[detection["StackDriftDetectionId"]] = detection
    return ActionResult({"StackDriftDetectionId": detection["StackDriftDetectionId"]})


def describe_stack_drift_detection_status(self: CloudFormationResponse) -> Any:
    detection_id = self._get_param("StackDriftDetectionId")
    detection = _detections(self.cloudformation_backend).get(detection_id)
    if detection is None:
        raise ValidationError(message=f"Drift detection with id {detection_id} does not exist")
    return ActionResult(detection)


def describe_stack_resource_drifts(self: CloudFormationResponse) -> Any:
    stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
    wanted = self._get_param("StackResourceDriftStatusFilters")
    current = _resources(stack)
    drifts = [
        drift
        for logical_id, drift in getattr(stack, RESOURCE_DRIFTS, {}).items()
        if logical_id in current and (not wanted or drift["StackResourceDriftStatus"] in wanted)
    ]
    start = int(self._get_param("NextToken") or 0)
    end = start + int(self._get_param("MaxResults") or 100)
    return ActionResult({"StackResourceDrifts": drifts[start:end], "NextToken": str(end) if end < len(drifts) else None})


def detect_stack_resource_drift(self: CloudFormationResponse) -> Any:
    stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
    logical_id = self._get_param("LogicalResourceId")
    resource_json = stack.resource_map._resource_json_map.get(logical_id)
    if resource_json is None:
        raise ValidationError(message=f"Resource {logical_id} does not exist for stack {stack.name}")
    resource = stack.resource_map._parsed_resources.get(logical_id)
    drift = _check(stack, logical_id, resource, resource_json.get("Type", ""))
    _remember(stack, drift)
    return ActionResult({"StackResourceDrift": drift})


def _with_resource_drift_information(original: Callable[..., Any]) -> Callable[..., Any]:
    """ListStackResources, DescribeStackResources and DescribeStackResource, each resource with its
    DriftInformation."""

    def handler(self: CloudFormationResponse) -> Any:
        answer = original(self)
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        result = answer.result
        for key in ("StackResourceSummaries", "StackResources", "StackResourceDetail"):
            items = result.get(key) or []
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, dict):
                    item["DriftInformation"] = _resource_drift_information(stack, item.get("LogicalResourceId"))
                else:
                    item.drift_information = _resource_drift_information(stack, item.logical_resource_id)
        return answer

    return handler


ACTIONS = {
    "detect_stack_drift": detect_stack_drift,
    "describe_stack_drift_detection_status": describe_stack_drift_detection_status,
    "describe_stack_resource_drifts": describe_stack_resource_drifts,
    "detect_stack_resource_drift": detect_stack_resource_drift,
}


def apply() -> None:
    require(
        (parsing, "parse_resource_and_generate_name"),
        (CloudFormationBackend, "get_stack"),
        (CloudFormationResponse, "list_stack_resources"),
        (CloudFormationResponse, "describe_stack_resources"),
        (CloudFormationResponse, "describe_stack_resource"),
    )
    for name in ACTIONS:
        if hasattr(CloudFormationResponse, name):
            raise AttributeError(f"CloudFormationResponse.{name} exists: moto implements drift detection")
    parsing.parse_resource_and_generate_name = _recording_resolved(parsing.parse_resource_and_generate_name)
    for name, action in ACTIONS.items():
        setattr(CloudFormationResponse, name, action)
    for name in ("list_stack_resources", "describe_stack_resources", "describe_stack_resource"):
        setattr(CloudFormationResponse, name, _with_resource_drift_information(getattr(CloudFormationResponse, name)))
    # Every stack reports NOT_CHECKED until a detection gives it its own DriftInformation.
    Stack.drift_information = {"StackDriftStatus": "NOT_CHECKED"}

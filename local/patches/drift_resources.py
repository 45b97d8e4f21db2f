"""
The live state drift detection compares with a template, one reader per resource type.

Not a fix of its own: drift_detection uses `LIVE_STATE`. Each reader looks the physical resource
up in moto's backend of its service and answers its properties in the shape a template gives them,
or None when the resource no longer exists. A reader gets the template's properties so that a
structured property (a table's TimeToLiveSpecification, say) is read only as far as the template
set it: CloudFormation checks drift only on what the template sets.
"""

from __future__ import annotations

from typing import Any, Callable

from moto.awslambda.exceptions import UnknownFunctionException
from moto.awslambda.models import lambda_backends
from moto.dynamodb.exceptions import ResourceNotFoundException
from moto.dynamodb.models import dynamodb_backends
from moto.s3.exceptions import MissingBucket
from moto.s3.models import s3_backends
from moto.sqs.exceptions import QueueDoesNotExist
from moto.sqs.models import sqs_backends
from moto.ssm.models import ssm_backends
from moto.utilities.utils import get_partition

Properties = dict[str, Any]
LiveState = Callable[[str, str, str, Properties], "Properties | None"]


def _as_set(expected: Any, live: Properties) -> Properties:
    """`live` with only the keys the template set, for properties whose keys are fields, not data."""
    if not isinstance(expected, dict):
        return live
    return {key: value for key, value in live.items() if key in expected}


def _int(value: Any) -> Any:
    """A number moto may hold as the template's string ("128") as the number it is."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def lambda_function(name: str, account_id: str, region: str, expected: Properties) -> Properties | None:
    try:
        function = lambda_backends[account_id][region].get_function(name)
    except UnknownFunctionException:
        return None
    return {
        "Description": function.description,
        "Environment": {"Variables": dict(function.environment_vars)} if function.environment_vars else None,
        "Handler": function.handler,
        "MemorySize": _int(function.memory_size),
        "ReservedConcurrentExecutions": _int(function.reserved_concurrency),
        "Runtime": function.run_time,
        "Timeout": _int(function.timeout),
    }


def sqs_queue(url: str, account_id: str, region: str, expected: Properties) -> Properties | None:
    try:
        queue = sqs_backends[account_id][region].get_queue(url.rsplit("/", 1)[-1])
    except QueueDoesNotExist:
        return None
    return {
        "DelaySeconds": queue.delay_seconds,
        "MaximumMessageSize": queue.maximum_message_size,
        "MessageRetentionPeriod": queue.message_retention_period,
        "ReceiveMessageWaitTimeSeconds": queue.receive_message_wait_time_seconds,
        "RedrivePolicy": dict(queue.redrive_policy) if queue.redrive_policy else None,
        "VisibilityTimeout": queue.visibility_timeout,
    }


def ssm_parameter(name: str, account_id: str, region: str, expected: Properties) -> Properties | None:
    parameter = ssm_backends[account_id][region].get_parameter(name)
    if parameter is None:
        return None
    return {"Description": parameter.description, "Type": parameter.parameter_type, "Value": parameter.value}


def dynamodb_table(name: str, account_id: str, region: str, expected: Properties) -> Properties | None:
    try:
        table = dynamodb_backends[account_id][region].get_table(name)
    except ResourceNotFoundException:
        return None
    recovery = table.continuous_backups["PointInTimeRecoveryDescription"]
    stream = table.stream_specification or {}
    return {
        "BillingMode": table.billing_mode,
        "DeletionProtectionEnabled": bool(table.deletion_protection_enabled),
        "PointInTimeRecoverySpecification": _as_set(
            expected.get("PointInTimeRecoverySpecification"),
            {
                "PointInTimeRecoveryEnabled": recovery["PointInTimeRecoveryStatus"] == "ENABLED",
                "RecoveryPeriodInDays": _int(recovery.get("RecoveryPeriodInDays")),
            },
        ),
        "ProvisionedThroughput": _as_set(
            expected.get("ProvisionedThroughput"),
            {key: _int(table.throughput.get(key)) for key in ("ReadCapacityUnits", "WriteCapacityUnits")},
        ),
        "StreamSpecification": {"StreamViewType": stream.get("StreamViewType")} if stream.get("StreamEnabled") else None,
        "TimeToLiveSpecification": _as_set(
            expected.get("TimeToLiveSpecification"),
            {"AttributeName": table.ttl.get("AttributeName"), "Enabled": table.ttl.get("TimeToLiveStatus") == "ENABLED"},
        ),
    }


def s3_bucket(name: str, account_id: str, region: str, expected: Properties) -> Properties | None:
    backend = s3_backends[account_id][get_partition(region)]
    try:
        bucket = backend.get_bucket(name)
    except MissingBucket:
        return None
    # Tags CloudFormation itself puts on resources (aws:cloudformation:*) are not the template's.
    tags = [tag for tag in backend.get_bucket_tagging(name)["Tags"] if not tag["Key"].startswith("aws:")]
    return {
        "Tags": tags,
        "VersioningConfiguration": {"Status": bucket.versioning_status} if bucket.versioning_status else None,
    }


LIVE_STATE: dict[str, LiveState] = {
    "AWS::Lambda::Function": lambda_function,
    "AWS::SQS::Queue": sqs_queue,
    "AWS::SSM::Parameter": ssm_parameter,
    "AWS::DynamoDB::Table": dynamodb_table,
    "AWS::S3::Bucket": s3_bucket,
}

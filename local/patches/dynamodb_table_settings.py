"""
A table created by CloudFormation ignores PointInTimeRecoverySpecification and
TimeToLiveSpecification.

Bug: moto's AWS::DynamoDB::Table passes neither to the table it creates, so
DescribeContinuousBackups reports point-in-time recovery DISABLED and DescribeTimeToLive reports
DISABLED whatever the template says; drift detection would then find every such table drifted
right after its deploy.

Fix: after moto creates the table, apply both as UpdateContinuousBackups and UpdateTimeToLive
would.
"""

from __future__ import annotations

from typing import Any

from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table

from . import require


def _true(value: Any) -> bool:
    # Templates may give a boolean as the string "true".
    return str(value).lower() == "true"


def apply() -> None:
    require((Table, "create_from_cloudformation_json"))
    original = Table.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def create(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Table:
        table = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        properties = cloudformation_json.get("Properties", {})
        backend = dynamodb_backends[account_id][region_name]
        recovery = properties.get("PointInTimeRecoverySpecification")
        if recovery:
            spec = {"PointInTimeRecoveryEnabled": _true(recovery.get("PointInTimeRecoveryEnabled"))}
            if "RecoveryPeriodInDays" in recovery:
                spec["RecoveryPeriodInDays"] = int(recovery["RecoveryPeriodInDays"])
            backend.update_continuous_backups(table.name, spec)
        ttl = properties.get("TimeToLiveSpecification")
        if ttl and "AttributeName" in ttl:
            backend.update_time_to_live(table.name, {"AttributeName": ttl["AttributeName"], "Enabled": _true(ttl.get("Enabled"))})
        return table

    Table.create_from_cloudformation_json = classmethod(create)  # type: ignore[assignment]

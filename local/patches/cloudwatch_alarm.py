"""
AWS::CloudWatch::Alarm is not a CloudFormation resource type in moto.

Bug: moto skips alarms in a template with a warning, so they are never created, and any
Fn::GetAtt on one (a CloudWatch dashboard listing its alarms, say) fails the stack with "Template
error: instance of Fn::GetAtt references undefined resource".

Fix: a CloudFormation model for AWS::CloudWatch::Alarm on moto's CloudWatch backend: it creates a
metric alarm (metric math in Metrics is not supported and left out), answers Ref with the alarm
name and GetAtt Arn with its ARN, replaces the alarm on update and deletes it with the stack.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel
from moto.cloudwatch.models import CloudWatchBackend, cloudwatch_backends

from . import ReplacedOnUpdate, register_model, require


def _number(value: Any) -> Any:
    return None if value is None else float(value)


class AlarmResource(ReplacedOnUpdate, CloudFormationModel):
    def __init__(self, name: str, arn: str) -> None:
        self.name = name
        self.arn = arn

    @staticmethod
    def cloudformation_name_type() -> str:
        return "AlarmName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudWatch::Alarm"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> AlarmResource:
        p = cloudformation_json["Properties"]
        alarm = cloudwatch_backends[account_id][region_name].put_metric_alarm(
            name=resource_name,
            namespace=p.get("Namespace"),
            metric_name=p.get("MetricName"),
            comparison_operator=p.get("ComparisonOperator"),
            evaluation_periods=int(p.get("EvaluationPeriods", 1)),
            period=int(p["Period"]) if "Period" in p else None,
            threshold=_number(p.get("Threshold")),
            statistic=p.get("Statistic"),
            extended_statistic=p.get("ExtendedStatistic"),
            description=p.get("AlarmDescription"),
            dimensions=p.get("Dimensions") or [],
            alarm_actions=p.get("AlarmActions") or [],
            ok_actions=p.get("OKActions") or [],
            insufficient_data_actions=p.get("InsufficientDataActions") or [],
            datapoints_to_alarm=int(p["DatapointsToAlarm"]) if "DatapointsToAlarm" in p else None,
            unit=p.get("Unit"),
            actions_enabled=p.get("ActionsEnabled", True),
            treat_missing_data=p.get("TreatMissingData"),
            evaluate_low_sample_count_percentile=p.get("EvaluateLowSampleCountPercentile"),
            threshold_metric_id=p.get("ThresholdMetricId"),
            tags=p.get("Tags"),
        )
        return cls(alarm.name, alarm.alarm_arn)

    def delete(self, account_id: str, region_name: str) -> None:
        cloudwatch_backends[account_id][region_name].delete_alarms([self.name])

    @property
    def physical_resource_id(self) -> str:
        return self.name

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Arn"

    def get_cfn_attribute(self, attribute_name: str) -> str:
        if attribute_name == "Arn":
            return self.arn
        raise parsing.UnformattedGetAttTemplateException()


def apply() -> None:
    require((CloudWatchBackend, "put_metric_alarm"), (CloudWatchBackend, "delete_alarms"))
    register_model(AlarmResource)

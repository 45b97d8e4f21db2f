"""
Stacks never get a LastUpdatedTime.

Bug: DescribeStacks never returns LastUpdatedTime, however often a stack is updated (UpdateStack,
an UPDATE change set executed, an update rolled back). CloudFormation returns it once a stack has
been updated at least once, with the time of its last update ("LastUpdatedTime: The time the
stack was last updated. This field will only be returned if the stack has been updated at least
once." — AWS CloudFormation API Reference, data type Stack, returned by DescribeStacks:
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html). A client that
knows a stack's template as of its id and last-update time (spec3's `.spec3/<stage>/templates.json`)
then takes any later update, by another working copy or an UpdateStack made by hand, for no
change at all.

Fix: every update of a stack sets its LastUpdatedTime to the time the update starts: whenever the
stack's status becomes UPDATE_IN_PROGRESS, or another UPDATE_* status while no update was in
progress (moto jumps straight to UPDATE_COMPLETE). The later states of the same update (cleanup,
rollback) keep that time. A stack that was only created has none, as on AWS.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.models import Stack
from moto.core.utils import utcnow

from . import require

_STATUS = "_spec3_status"


def _updating(status: str | None) -> bool:
    return status is not None and status.startswith("UPDATE_") and status.endswith("_IN_PROGRESS")


def _get_status(self: Stack) -> Any:
    return self.__dict__.get(_STATUS)


def _set_status(self: Stack, value: Any) -> None:
    previous = self.__dict__.get(_STATUS)
    starts_update = isinstance(value, str) and value.startswith("UPDATE_") and (value == "UPDATE_IN_PROGRESS" or not _updating(previous))
    if starts_update:
        self.last_updated_time = utcnow()
    self.__dict__[_STATUS] = value


def apply() -> None:
    require((Stack, "update"), (Stack, "__init__"))
    if isinstance(getattr(Stack, "status", None), property):
        return  # already applied
    Stack.status = property(_get_status, _set_status)  # type: ignore[assignment]

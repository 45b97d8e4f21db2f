"""
Parallel CloudFormation requests crash each other.

Bug: moto's server answers requests on several threads, and its CloudFormation backend walks its
stacks and change sets in Python loops (DescribeStacks by name, DescribeChangeSet, and several
fixes here) while another request adds to them (CreateChangeSet of a new stack, CreateStack). The
walk then fails with `RuntimeError: OrderedDict mutated during iteration`, answered as an HTML 500
that an SDK v3 client reports as an XML parse error. spec3 deploys independent stacks in
parallel, so this happens to a deploy now and then. CloudFormation itself answers concurrent
requests, each against a consistent state of the account's stacks (the API reference documents
no limit on concurrent calls other than throttling:
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/CommonErrors.html).

Fix: the CloudFormation requests of the server run one at a time (one re-entrant lock around each
action). Every action completes inside its request in moto, so this orders them the way some
sequence of requests on AWS would; requests to other services still run in parallel.
"""

from __future__ import annotations

import threading
from typing import Any

from moto.cloudformation.responses import CloudFormationResponse

from . import require

_LOCK = threading.RLock()


def apply() -> None:
    require((CloudFormationResponse, "call_action"))
    original = CloudFormationResponse.call_action

    def call_action(self: CloudFormationResponse) -> Any:
        with _LOCK:
            return original(self)

    CloudFormationResponse.call_action = call_action  # type: ignore[method-assign]

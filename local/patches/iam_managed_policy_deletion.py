"""
Deleting a stack does not delete its IAM managed policies.

Bug: moto has no CloudFormation delete for AWS::IAM::ManagedPolicy: deleting the stack leaves the
policy in ListPolicies, and creating the stack again fails because a policy of that name exists.

Fix: deleting an AWS::IAM::ManagedPolicy detaches it from the roles, users and groups it is
attached to and deletes it, as CloudFormation does.
"""

from __future__ import annotations

from moto.iam.models import IAMBackend, ManagedPolicy, iam_backends
from moto.utilities.utils import get_partition

from . import MissingTarget, require


def delete(self: ManagedPolicy, account_id: str, region_name: str) -> None:
    iam = iam_backends[account_id][get_partition(region_name)]
    if self.arn not in iam.managed_policies:
        return
    for holder in [*iam.roles.values(), *iam.users.values(), *iam.groups.values()]:
        if self.arn in holder.managed_policies:
            self.detach_from(holder)
    iam.delete_policy(self.arn)


def apply() -> None:
    require((IAMBackend, "delete_policy"), (ManagedPolicy, "detach_from"), (ManagedPolicy, "arn"))
    if hasattr(ManagedPolicy, "delete"):
        raise MissingTarget("ManagedPolicy.delete exists: moto deletes the policy itself")
    ManagedPolicy.delete = delete

"""
A bucket created by CloudFormation ignores VersioningConfiguration.

Bug: moto's AWS::S3::Bucket applies only BucketEncryption and Tags when it creates the bucket, so
a bucket the template asks to version reports no versioning (GetBucketVersioning has no Status),
and objects written to it get no versions, unlike on AWS.

Fix: after moto creates the bucket, apply VersioningConfiguration.Status as PutBucketVersioning
would.
"""

from __future__ import annotations

from typing import Any

from moto.s3.models import FakeBucket, s3_backends
from moto.utilities.utils import get_partition

from . import require


def apply() -> None:
    require((FakeBucket, "create_from_cloudformation_json"))
    original = FakeBucket.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def create(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> FakeBucket:
        bucket = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        status = (cloudformation_json.get("Properties", {}).get("VersioningConfiguration") or {}).get("Status")
        if status:
            s3_backends[account_id][get_partition(region_name)].put_bucket_versioning(bucket.name, status)
        return bucket

    FakeBucket.create_from_cloudformation_json = classmethod(create)  # type: ignore[assignment]

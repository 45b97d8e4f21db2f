"""
Fixes to moto 5.2.1 that spec3 needs to deploy, update and tear down its stacks locally.

Each module of this package fixes one moto bug; its docstring says what the bug is, how it shows
and what the fix does. A module exposes `apply()`, which first checks with `require` that every
moto attribute it replaces exists: under a moto release that moved things, the module is skipped
with a warning naming it, and the server runs without that fix instead of not at all.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable

# The moto release every fix was written and tested against.
MOTO_VERSION = "5.2.1"

# Order matters where two fixes touch the same method: a later module wraps an earlier one.
MODULES = (
    "concurrent_requests",
    "json_templates",
    "module_list_cache",
    "execute_change_set",
    "execution_failure",
    "change_set_not_found",
    "change_set_stack_state",
    "last_updated_time",
    "use_previous_value",
    "no_updates",
    "update_exports",
    "update_in_place",
    "ssm_resolved_value",
    "vpc_resource_deletion",
    "delete_failed",
    "termination_protection",
    "retain_resources",
    "ssm_parameter_missing",
    "ssm_parameter_tags",
    "kms_key_properties",
    "apigateway_method_integration",
    "apigateway_deployment_ref",
    "apigateway_stage",
    "cloudwatch_alarm",
    "lambda_alias",
    "apigateway_deletion",
    "iam_managed_policy_deletion",
    "s3_bucket_versioning",
    "dynamodb_table_settings",
    "drift_detection",
    "placeholders",
    "elbv2_settings",
    "ecs_settings",
    "update_dependents",
)


class MissingTarget(Exception):
    """A moto attribute a fix replaces is not there: this moto is not the one the fix targets."""


def require(*targets: tuple[Any, str]) -> None:
    missing = [f"{getattr(owner, '__name__', owner)}.{name}" for owner, name in targets if not hasattr(owner, name)]
    if missing:
        raise MissingTarget(f"missing {', '.join(missing)}")


def register_model(model: type) -> None:
    """Makes moto's CloudFormation see a model class it does not have. Defining the subclass of
    CloudFormationModel registers it; moto caches its lists of models, so they are dropped."""
    from moto.cloudformation import parsing
    from moto.core.common_models import CloudFormationModel

    require((parsing, "get_model_list"), (parsing, "get_model_map"), (parsing, "get_name_type_map"))
    kind = model.cloudformation_type()
    others = [c for c in CloudFormationModel.__subclasses__() if c is not model]
    if kind in {_type_of(c) for c in others}:
        raise MissingTarget(f"moto already has a CloudFormation model for {kind}")
    parsing.get_model_list.cache_clear()
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()


def _type_of(model: type) -> str | None:
    try:
        return model.cloudformation_type()
    except Exception:
        return None


def before_create(model: type, rewrite: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """Makes a CloudFormation model create its resource from `rewrite(resource JSON)`."""
    require((model, "create_from_cloudformation_json"))
    original = model.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def create_from_cloudformation_json(cls: type, resource_name: str, cloudformation_json: Any, *args: Any, **kwargs: Any) -> Any:
        return original(cls, resource_name, rewrite(cloudformation_json), *args, **kwargs)

    model.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)  # type: ignore[attr-defined]


class ReplacedOnUpdate:
    """For a model added by a fix: an update deletes the resource and creates it anew."""

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
    ) -> Any:
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)  # type: ignore[attr-defined]


def add_resource_event(stack: Any, resource: Any, logical_id: str, resource_type: str, status: str, reason: str) -> None:
    """A resource's event on its stack (moto itself records only the stack's own events)."""
    from moto.cloudformation.models import Event

    event = Event(
        stack_id=stack.stack_id,
        stack_name=stack.name,
        logical_resource_id=logical_id,
        physical_resource_id=getattr(resource, "physical_resource_id", None) or "",
        resource_type=resource_type,
        resource_status=status,
        resource_status_reason=reason,
        resource_properties=None,
    )
    stack.events.append(event)


def error_message(error: BaseException) -> str:
    """The text CloudFormation would show for an error moto raised while handling a resource."""
    message = getattr(error, "message", None) or getattr(error, "description", None)
    if isinstance(message, str) and message:
        return message
    return f"{type(error).__name__}: {error}"


def apply_all(version: str) -> list[str]:
    applied = []
    for name in MODULES:
        try:
            importlib.import_module(f"{__name__}.{name}").apply()
        except (ImportError, AttributeError, MissingTarget) as error:
            print(
                f"spec3 local AWS: fix '{name}' not applied, moto {version} differs from {MOTO_VERSION} ({error})",
                file=sys.stderr,
            )
            continue
        applied.append(name)
    return applied

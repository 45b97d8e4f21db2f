"""
AWS::ApiGateway::Method without an HTTP integration cannot be created.

Bug: moto reads Integration.IntegrationHttpMethod and Integration.Uri as required, but a MOCK
integration (the OPTIONS method of every CORS-enabled API Gateway resource) has neither, and
Integration itself is optional: creating such a method fails with "KeyError:
'IntegrationHttpMethod'" (an HTML 500 on CreateStack).

Fix: the method is created the same way, taking those properties only when they are there (and
the integration's request templates with them).
"""

from __future__ import annotations

from typing import Any

from moto.apigateway.models import Method, apigateway_backends

from . import require


def create_from_cloudformation_json(
    cls: type[Method], resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
) -> Method:
    properties = cloudformation_json["Properties"]
    backend = apigateway_backends[account_id][region_name]
    where = {
        "function_id": properties["RestApiId"],
        "resource_id": properties["ResourceId"],
        "method_type": properties["HttpMethod"],
    }
    method = backend.put_method(
        **where,
        authorization_type=properties.get("AuthorizationType"),
        api_key_required=properties.get("ApiKeyRequired"),
    )
    integration = properties.get("Integration")
    if integration:
        backend.put_integration(
            **where,
            integration_type=integration["Type"],
            uri=integration.get("Uri"),
            integration_method=integration.get("IntegrationHttpMethod"),
            request_templates=integration.get("RequestTemplates"),
        )
    return method


def apply() -> None:
    require((Method, "create_from_cloudformation_json"))
    Method.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)

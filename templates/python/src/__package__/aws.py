"""AWS clients for the handlers, created on first use and kept for warm invocations.

boto3 ships with the Lambda runtime but is imported only here, inside `get`, so every handler module
imports without it: the tests run on the standard library alone and swap in fakes with `use_fakes`.
"""
import os

_clients = {}


def _create(name):
    import boto3  # deferred on purpose, see the module docstring

    if name == "table":
        # The project's table as a boto3 Table resource (plain Python values, Decimal numbers).
        return boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
    return boto3.client(name)


def get(name):
    """`"table"` for the project's DynamoDB table, or a boto3 client name: "s3", "sqs", "sns", "dynamodb"."""
    if name not in _clients:
        _clients[name] = _create(name)
    return _clients[name]


def use_fakes(**fakes):
    """For tests: forget every client and answer `get(name)` with `fakes[name]` instead."""
    _clients.clear()
    _clients.update(fakes)

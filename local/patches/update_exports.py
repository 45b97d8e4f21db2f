"""
Exports do not follow a stack update.

Bug: UpdateStack (and so ExecuteChangeSet of an UPDATE change set) leaves the region's exports as
the stack's first version registered them: an export the update adds is missing from ListExports
and Fn::ImportValue, an export it removes stays, and a changed export value is the old one.

Fix: after the update, the stack's exports are registered again from its new outputs; an export
name another stack already exports fails with ValidationError, as on CreateStack.
"""

from __future__ import annotations

from typing import Any, Callable

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend, Stack

from . import require


def _re_exporting(original: Callable[..., Stack]) -> Callable[..., Stack]:
    def update_stack(self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Stack:
        stack = original(self, *args, **kwargs)
        exports = stack.exports
        theirs = {name for name, e in self.exports.items() if e.exporting_stack_id != stack.stack_id}
        clash = sorted(theirs & {e.name for e in exports})
        if clash:
            raise ValidationError(
                stack.stack_id, message=f"Export with name {clash[0]} is already exported by another stack"
            )
        for name in [name for name, e in self.exports.items() if e.exporting_stack_id == stack.stack_id]:
            del self.exports[name]
        for export in exports:
            self.exports[export.name] = export
        return stack

    return update_stack


def apply() -> None:
    require((CloudFormationBackend, "update_stack"), (Stack, "exports"))
    CloudFormationBackend.update_stack = _re_exporting(CloudFormationBackend.update_stack)

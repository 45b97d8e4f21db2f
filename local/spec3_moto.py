"""
spec3's local AWS: moto's server with the fixes spec3's deploys rely on.

    python3 local/spec3_moto.py [moto_server arguments...]    e.g. -H 127.0.0.1 -p 5000

It imports moto, applies every fix in `patches/` (one module per moto bug), then runs moto's own
server main, so the arguments and the output are moto_server's.
"""

from __future__ import annotations

import os
import sys
import threading
import time

# Exit code when moto cannot be imported; the spec3 launcher turns it into a hint.
MOTO_MISSING = 3


def main(argv: list[str]) -> int:
    # moto builds ~1,200 sample AMIs (with volumes and snapshots) whenever an EC2 backend starts,
    # after every reset too: a tenth of a second per deploy that spec3's stacks never use.
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    try:
        import moto
        from moto import server
    except ImportError as error:
        print(
            f"spec3 local AWS: moto is not installed for {sys.executable} ({error}). "
            "Install it with pip install 'moto[server]', or run LocalStack and pass --endpoint http://localhost:4566.",
            file=sys.stderr,
        )
        return MOTO_MISSING

    # The fixes live next to this file; put them first so no installed package shadows them.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from patches import MOTO_VERSION, apply_all

    version = getattr(moto, "__version__", "unknown")
    if version != MOTO_VERSION:
        print(f"spec3 local AWS: the fixes target moto {MOTO_VERSION}, found {version}", file=sys.stderr)
    apply_all(version)
    _exit_with_parent(os.environ.get("SPEC3_MOTO_PARENT_PID"))
    server.main(argv)
    return 0


def _exit_with_parent(parent_pid: str | None) -> None:
    """An attached server ends with the process that started it, even one that dies without stopping it."""
    if not parent_pid:
        return

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(int(parent_pid), 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                pass  # alive, owned by someone else

    threading.Thread(target=watch, name="spec3-parent-watch", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Runs a command in a pseudo-terminal, types an answer when it asks for the stage name, relays
its output, and exits with its exit code: a person at a terminal, for the destroy prompt. With
PTY_INTERRUPT_ON set, it also presses Ctrl-C once that text has appeared."""
import os
import pty
import sys
import time

answer, command = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

seen = b''
typed = False
interrupt_on = os.environ.get('PTY_INTERRUPT_ON', '').encode()
interrupted = False
deadline = time.time() + 240
while time.time() < deadline:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    sys.stdout.buffer.write(chunk)
    sys.stdout.flush()
    seen += chunk
    if not typed and b'stage name' in seen:
        time.sleep(0.2)
        os.write(fd, answer.encode() + b'\r')
        typed = True
    if interrupt_on and not interrupted and interrupt_on in seen:
        os.write(fd, b'\x03')
        interrupted = True
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))

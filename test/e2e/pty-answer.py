"""Runs a command in a pseudo-terminal, types an answer when it asks for the stage name (or, with
`--when TEXT`, when TEXT appears), relays its output, and exits with its exit code: a person at a
terminal. An empty answer is a bare Enter: the question's default. With PTY_INTERRUPT_ON set, it
also presses Ctrl-C once that text has appeared."""
import os
import pty
import sys
import time

args = sys.argv[1:]
when = b'stage name'
if args[0] == '--when':
    when, args = args[1].encode(), args[2:]
answer, command = args[0], args[1:]
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
    if not typed and when in seen:
        time.sleep(0.2)
        os.write(fd, answer.encode() + b'\r')
        typed = True
    if interrupt_on and not interrupted and interrupt_on in seen:
        os.write(fd, b'\x03')
        interrupted = True
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))

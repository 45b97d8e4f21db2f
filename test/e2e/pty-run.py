"""Runs a command in a pseudo-terminal as a person at a terminal would, following a script of
steps, relays its output, and exits with its exit code.

Usage: pty-run.py STEPS_JSON command...
STEPS_JSON is a list of steps taken in order, each once its text has appeared in the output
(after the text the previous step waited for):
  {"when": "stage name", "type": "dev\\r"}   type into the terminal (Ctrl-C is "\\u0003": the
                                              terminal turns it into SIGINT for the process group)
  {"when": "new stack", "signal": "SIGTERM"}  send a signal to the process (SIGKILL too)
  {"when": "new stack", "hangup": true}       close the terminal: the kernel sends SIGHUP
A process ended by a signal (not an exit code) is reported on stderr as
"pty-run: killed by signal N" and exits 255, so "exit 130" always means the process chose it."""
import fcntl
import json
import os
import pty
import signal
import struct
import sys
import termios
import time

steps, command = json.loads(sys.argv[1]), sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
# A window of 40 rows and 120 columns, as a terminal emulator gives: without one, a task list has
# no room to draw anything until it ends.
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))

seen = b''
searched_from = 0
deadline = time.time() + 240
open_fd = True
while time.time() < deadline and open_fd:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    sys.stdout.buffer.write(chunk)
    sys.stdout.flush()
    seen += chunk
    while steps:
        step = steps[0]
        at = seen.find(step['when'].encode(), searched_from)
        if at < 0:
            break
        steps.pop(0)
        searched_from = at + len(step['when'])
        time.sleep(step.get('delay', 0.1))
        if 'type' in step:
            os.write(fd, step['type'].encode())
        elif 'signal' in step:
            os.kill(pid, getattr(signal, step['signal']))
        elif step.get('hangup'):
            os.close(fd)
            open_fd = False
            break
_, status = os.waitpid(pid, 0)
if os.WIFSIGNALED(status):
    sys.stderr.write(f'pty-run: killed by signal {os.WTERMSIG(status)}\n')
    sys.exit(255)
if steps:
    sys.stderr.write(f'pty-run: steps never reached: {json.dumps(steps)}\n')
sys.exit(os.waitstatus_to_exitcode(status))

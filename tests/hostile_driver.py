"""Run command lines of symconv, each in its own process under resource limits.

Used by ``test_hostile_input.py``: reads a JSON list of argument lists on stdin, and
writes a JSON list of outcomes on stdout. This process imports symconv (and warms it up)
once; each command line then runs in a forked child with a CPU-time limit, an address-
space limit and a wall-clock limit, so a case that would hang or eat memory is ended by
the operating system (or by this process) and reported as such, never waited for.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import time

CPU_SECONDS = 2  # each case must end within 2 s of CPU time ...
WALL_SECONDS = 2.0  # ... and of wall-clock time
MEMORY_BYTES = 1 << 30  # and within 1 GB of address space


def run_case(argv: list[str]) -> dict:
    from symconv.surfaces.cli import main

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: limits, then the command line
            code = 99
            try:
                resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
                resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                code = int(main(argv))
            except BaseException:  # a traceback is what the test looks for
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        end = time.monotonic() + WALL_SECONDS
        status = None
        while status is None:
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = raw
            elif time.monotonic() > end:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                status = "wall"
            else:
                time.sleep(0.005)
        out.seek(0)
        err.seek(0)
        outcome = {
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }
    if status == "wall":
        outcome.update(code=None, ended=f"killed after {WALL_SECONDS:g} s of wall-clock time")
    elif os.WIFSIGNALED(status):
        outcome.update(code=None, ended=f"killed by signal {os.WTERMSIG(status)}")
    else:
        outcome.update(code=os.WEXITSTATUS(status), ended=None)
    return outcome


def main() -> None:
    import symconv

    # once, here: the children start warm, as a long-lived process would
    symconv.prove("f*g = g*f")
    symconv.prove("f⋆g = g⋆f")
    cases = json.load(sys.stdin)
    json.dump([run_case(argv) for argv in cases], sys.stdout)


if __name__ == "__main__":
    main()

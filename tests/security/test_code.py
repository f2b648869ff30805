"""Hostile pull requests, part three: page code that tries to forge, hog, escape or outlive the build.

Each case is a real strict build of a small wiki with fake secrets in the environment. It must fail (or pass)
with the finding at the page's line, finish well inside its time limit, leave no process behind, and put no
secret in the site or the log.
"""

from __future__ import annotations

import os
import re
import socket
import time
import uuid
from pathlib import Path

import pytest
import yaml

from mathwiki.execution.runner import Block, PageJob, Runner
from mathwiki.execution.sandbox import Sandbox, probe
from tests.conftest import build
from tests.security.test_files_and_parsing import ENV, HEAD, HOME, SECRET, _hostile_build

pytestmark = pytest.mark.build


def _page(*blocks: str, timeout: int | None = None) -> str:
    """A topic whose python fences are ``blocks``; the first fence opens at line 9 (10 with a timeout)."""
    head = HEAD.format(title="A")
    if timeout is not None:
        head = head.replace("---\n\n", f"timeout: {timeout}\n---\n\n")
    body = "".join(f"```python\n{code}\n```\n\n" for code in blocks)
    return head + "Text.\n\n" + body


def _set(project: Path, **settings: object) -> None:
    """Change ``extra.mathwiki`` settings in the project's ``mkdocs.yml``."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"]["mathwiki"].update(settings)
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def _processes_with(marker: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if marker in cmdline:
                found.append(f"{entry.name}: {cmdline}")
    return found


def _html(project: Path) -> str:
    return (project / "site" / "topics" / "a" / "index.html").read_text(encoding="utf-8")


def _outputs(project: Path) -> str:
    """What the page's code printed, as the site shows it (not the highlighted source)."""
    return "\n".join(re.findall(r'<div class="code-output"><pre><code>(.*?)</code></pre>', _html(project), re.S))


def test_code_cannot_forge_the_result_the_build_reads(make_wiki) -> None:
    # The page's code writes a complete "all passed" answer on every descriptor it might hold, then leaves at
    # once. Only the worker holds the pipe to the build, and it checks what the page's process sends.
    forged = (
        '{"blocks": [{"status": "ok", "output": "@@", "dropped": 0, "figures": []}], '
        '"failure": null, "bindings": [{"values": [[2.0], [4.0], [6.0]]}], "landlock": 7}\n'
    )
    code = (
        "import os\n"
        "def df(x):\n    return 0.0\n"
        f"msg = {forged!r}.replace('@@', 'FORG' + 'ED').encode()\n"
        "for fd in range(3, 256):\n"
        "    try:\n        os.write(fd, msg)\n    except OSError:\n        pass\n"
        "os._exit(0)"
    )
    page = (
        HEAD.format(title="A")
        + "Text.\n\n```verify\nf(x) = x^2\n\\frac{df}{dx} = 2x\n```\n\n"
        + '```python bind="df: df/dx"\n'
        + code
        + "\n```\n"
    )
    project = make_wiki({"index.md": HOME, "topics/a.md": page})
    result = _hostile_build(project)
    assert result.returncode != 0
    assert "docs/topics/a.md:14: " in result.stderr, result.stderr[-3000:]
    assert "FORGED" not in result.stderr
    if (project / "site" / "topics" / "a" / "index.html").exists():
        assert "FORGED" not in _html(project)


def test_a_figure_that_is_not_a_png_is_refused(tmp_path: Path) -> None:
    # The page's process sends its own block message with a "figure" that is a script: the worker decodes
    # every figure and ends the page with a failure instead of passing it on.
    code = (
        "import json, os, base64\n"
        "fake = base64.b64encode(b'<svg onload=alert(1)>').decode()\n"
        "fds = [int(n) for n in os.listdir('/proc/self/fd')]\n"
        "msg = json.dumps({'block': 0, 'output': '', 'dropped': 0, 'figures': [fake]}) + '\\n'\n"
        "for fd in fds:\n"
        "    if fd > 2:\n"
        "        try:\n            os.write(fd, msg.encode())\n        except OSError:\n            pass\n"
        "os._exit(0)"
    )
    runner = Runner(None, memory_mb=512, output_limit=1000, workers=1, sandbox=probe())
    result = runner.run_page(PageJob("docs/topics/a.md", (Block(code, 9, True),), 20.0))
    assert result.blocks[0].status == "failed"
    assert not result.blocks[0].figures
    assert "malformed result" in result.problems[0].message and "PNG" in result.problems[0].message


def test_one_memory_limit_covers_every_process_the_page_starts(make_wiki) -> None:
    # Six children of 300 MB each: every one is under the limit of 1,024 MB, together they are not.
    child = "import time; x = b'x' * (300 << 20); time.sleep(30)"
    code = (
        "import subprocess, sys, time\n"
        f"kids = [subprocess.Popen([sys.executable, '-c', {child!r}]) for _ in range(6)]\n"
        "time.sleep(25)\nprint('survived')"
    )
    project = make_wiki({"index.md": HOME, "topics/a.md": _page(code, timeout=40)})
    started = time.monotonic()
    result = _hostile_build(project)
    assert time.monotonic() - started < 30  # stopped when the sum passed the limit, not at the time limit
    assert result.returncode != 0
    assert "docs/topics/a.md:10: " in result.stderr and "together used more than 1024 MB" in result.stderr, (
        result.stderr[-3000:]
    )
    assert not _processes_with("300 << 20")


def test_the_memory_watch_holds_without_cgroups(tmp_path: Path) -> None:
    sandbox = probe()
    without = Sandbox(sandbox.wrapper, sandbox.namespaces, sandbox.landlock_abi, sandbox.seccomp, cgroups=False)
    child = "import time; x = b'x' * (150 << 20); time.sleep(30)"
    code = (
        "import subprocess, sys, time\n"
        f"kids = [subprocess.Popen([sys.executable, '-c', {child!r}]) for _ in range(4)]\n"
        "time.sleep(25)"
    )
    runner = Runner(None, memory_mb=400, output_limit=1000, workers=1, sandbox=without)
    started = time.monotonic()
    result = runner.run_page(PageJob("docs/topics/a.md", (Block(code, 9, True),), 40.0))
    assert time.monotonic() - started < 25
    assert "together used more than 400 MB" in result.problems[0].message
    assert not _processes_with("150 << 20")


@pytest.mark.parametrize(
    "code",
    [
        "import os\nwhile True:\n    os.fork()",
        "import subprocess\nps = [subprocess.Popen(['sleep', '60.25']) for _ in range(1000)]",
    ],
    ids=["fork-bomb", "thousand-children"],
)
def test_a_process_cap_ends_fork_bombs_quickly(make_wiki, code: str) -> None:
    project = make_wiki({"index.md": HOME, "topics/a.md": _page(code, timeout=60)})
    started = time.monotonic()
    result = _hostile_build(project)
    assert time.monotonic() - started < 45
    assert result.returncode != 0
    assert "docs/topics/a.md:10: " in result.stderr, result.stderr[-3000:]
    time.sleep(0.5)
    assert not _processes_with("60.25")


def test_page_code_holds_no_capability_no_secret_no_socket_and_leaves_nothing_behind(make_wiki, tmp_path) -> None:
    marker = f"{uuid.uuid4().int % 1000}.{uuid.uuid4().int % 100:02d}"
    sock_dir = Path("/tmp") / f"mathwiki-sock-{uuid.uuid4().hex[:8]}"
    sock_dir.mkdir()
    sock_dir.chmod(0o777)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(sock_dir / "docker.sock"))
    os.chmod(sock_dir / "docker.sock", 0o777)
    listener.listen(1)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.settimeout(0.5)
    port = udp.getsockname()[1]
    code = (
        "import os, socket, subprocess\n"
        "print([l for l in open('/proc/self/status') if l.startswith('CapEff')][0].strip())\n"
        "seen = ''\n"
        "for pid in os.listdir('/proc'):\n"
        "    if pid.isdigit():\n"
        "        try:\n            seen += open(f'/proc/{pid}/environ').read()\n"
        "        except OSError:\n            pass\n"
        "print('environ read:', len(seen))\n"
        "print(seen)\n"
        "try:\n"
        "    s = socket.socket(socket.AF_UNIX)\n"
        f"    s.connect({str(sock_dir / 'docker.sock')!r})\n"
        "    print('UNIX CONNECTED')\n"
        "except OSError as exc:\n    print('unix socket refused:', exc)\n"
        "try:\n"
        f"    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'leak', ('127.0.0.1', {port}))\n"
        "except OSError as exc:\n    print('udp refused:', exc)\n"
        f"subprocess.Popen(['sleep', '{marker}'], start_new_session=True)\n"
        "print('done')"
    )
    project = make_wiki({"index.md": HOME, "topics/a.md": _page(code)})
    try:
        result = _hostile_build(project)
        assert result.returncode == 0, result.stderr[-3000:]
        html = _outputs(project)
        assert "CapEff:\t0000000000000000" in html or "CapEff: 0000000000000000" in html, html[:2000]
        assert "UNIX CONNECTED" not in html and "unix socket refused" in html
        assert "done" in html
        with pytest.raises(TimeoutError):
            udp.recv(100)
        time.sleep(0.3)
        assert not _processes_with(f"sleep {marker}")
    finally:
        listener.close()
        udp.close()
        for entry in sock_dir.iterdir():
            entry.unlink()
        sock_dir.rmdir()


def test_printed_output_is_capped_per_page_with_a_note(make_wiki) -> None:
    blocks = ["print('y' * 65536)"] * 60
    project = make_wiki({"index.md": HOME, "topics/a.md": _page(*blocks)})
    _set(project, output_limit_bytes=70000)
    result = build(project, env=ENV, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    html = _html(project)
    assert html.count("y") < (1 << 20) + 200_000  # one page keeps about 1 MB of output, not 60 × 64 KB
    assert "output truncated: 65537 bytes not shown" in html
    assert SECRET not in html


def test_a_weak_sandbox_fails_under_ci_unless_allowed(make_wiki) -> None:
    # Break the namespace wrapper for this build only: a PATH where unshare is a failing script.
    project = make_wiki({"index.md": HOME, "topics/a.md": _page("print(1)")})
    fake_bin = project / "fake-bin"
    fake_bin.mkdir()
    (fake_bin / "unshare").write_text("#!/bin/sh\nexit 1\n")
    (fake_bin / "unshare").chmod(0o755)
    path = f"{fake_bin}:{os.environ.get('PATH', '')}"
    failed = build(project, env={**ENV, "PATH": path, "CI": "true"}, timeout=120)
    assert failed.returncode != 0
    assert "the sandbox is weaker on this machine: no PID/network namespace" in failed.stderr
    assert "allow_weak_sandbox" in failed.stderr
    _set(project, allow_weak_sandbox=True)
    passed = build(project, env={**ENV, "PATH": path, "CI": "true"}, timeout=120, strict=False)
    assert passed.returncode == 0, passed.stderr[-3000:]
    assert "WARNING" in passed.stderr and "the sandbox is weaker" in passed.stderr


def test_without_namespaces_the_code_still_cannot_read_the_build(tmp_path: Path) -> None:
    sandbox = probe()
    bare = Sandbox((), False, sandbox.landlock_abi, sandbox.seccomp, sandbox.cgroups)
    os.environ["MATHWIKI_TEST_SECRET"] = SECRET
    try:
        code = (
            "import os\n"
            "try:\n    print(open(f'/proc/{os.getppid()}/environ').read())\nexcept OSError as e:\n    print('no:', e)\n"
            "print([l for l in open('/proc/self/status') if l.startswith('CapEff')][0].strip())"
        )
        runner = Runner(None, memory_mb=512, output_limit=10000, workers=1, sandbox=bare)
        job = PageJob("docs/topics/a.md", (Block(code, 9, True),), 20.0)
        result = runner.run_page(job)
        assert result.blocks[0].status == "ok", result.problems
        assert SECRET not in result.blocks[0].output
        assert "CapEff:\t0000000000000000" in result.blocks[0].output
        # the grandparent -- the build itself -- is not readable either
        probe_code = "import os\nppid = int(open(f'/proc/{os.getppid()}/stat').read().split()[3])\n" + (
            "try:\n    print(open(f'/proc/{ppid}/environ').read())\nexcept OSError as e:\n    print('no:', e)"
        )
        deeper = runner.run_page(PageJob("docs/topics/a.md", (Block(probe_code, 9, True),), 20.0))
        assert SECRET not in deeper.blocks[0].output
    finally:
        del os.environ["MATHWIKI_TEST_SECRET"]

"""Running the emulator as a process (tutor/emulator/cli.py and the live_emulator command)."""

from __future__ import annotations

import signal
import ssl
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[3]


@pytest.mark.parametrize(
    "command",
    [[sys.executable, "-m", "tutor.emulator"], [sys.executable, "manage.py", "live_emulator"]],
    ids=["module", "manage.py"],
)
def test_it_prints_the_client_settings_and_stops_on_sigterm(
    command: list[str], tmp_path: Path
) -> None:
    args = [*command, "--port", "0", "--workdir", str(tmp_path)]
    with subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:  # noqa: S603
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip().removeprefix("GOOGLE_GEMINI_BASE_URL=")
        ca_file = proc.stdout.readline().strip().removeprefix("SSL_CERT_FILE=")
        context = ssl.create_default_context(cafile=ca_file)
        with urllib.request.urlopen(f"{base_url}/_emulator/health", context=context) as reply:  # noqa: S310
            assert reply.read() == b'{"ok": true}'
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    assert base_url.startswith("https://127.0.0.1:")
    assert ca_file == str(tmp_path / "ca.pem")

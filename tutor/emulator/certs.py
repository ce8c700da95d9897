"""A local certificate authority and a server certificate for the emulator's TLS port.

The SDK always dials `wss://` (docs/gemini-live.md §1.2), so the emulator must speak TLS with a
certificate the client trusts. Files are kept in `workdir` so a restarted emulator reuses them
and clients that already point `SSL_CERT_FILE` at the CA keep working.
"""

from __future__ import annotations

import datetime as dt
import ssl
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography import x509

CA_FILE = "ca.pem"
CERT_FILE = "server.pem"  # leaf certificate chain followed by its private key
IDENTITIES = ("localhost", "127.0.0.1", "::1")
# Regenerate well before expiry so a long-running emulator never serves an expired cert.
RENEW_MARGIN = dt.timedelta(days=30)


@dataclass(frozen=True, slots=True)
class CertFiles:
    ca_file: Path
    cert_file: Path


def ensure_certs(workdir: Path) -> CertFiles:
    """Return usable CA and server files in `workdir`, creating or renewing them as needed."""
    workdir.mkdir(parents=True, exist_ok=True)
    files = CertFiles(workdir / CA_FILE, workdir / CERT_FILE)
    if not _still_valid(files):
        _generate(workdir, files)
    return files


def server_context(files: CertFiles) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(files.cert_file)
    return ctx


def _still_valid(files: CertFiles) -> bool:
    try:
        leaf = x509.load_pem_x509_certificate(files.cert_file.read_bytes())
        ca = x509.load_pem_x509_certificate(files.ca_file.read_bytes())
    except (OSError, ValueError):
        return False
    deadline = dt.datetime.now(dt.UTC) + RENEW_MARGIN
    return leaf.not_valid_after_utc > deadline and ca.not_valid_after_utc > deadline


def _generate(workdir: Path, files: CertFiles) -> None:
    ca = trustme.CA(organization_name="Tertulia offline emulator")
    leaf = ca.issue_cert(*IDENTITIES, common_name="localhost")
    ca.cert_pem.write_to_path(str(files.ca_file))
    leaf.private_key_and_cert_chain_pem.write_to_path(str(files.cert_file))
    files.cert_file.chmod(0o600)  # it holds the server's private key

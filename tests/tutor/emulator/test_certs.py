"""The local CA and server certificate (tutor/emulator/certs.py)."""

from __future__ import annotations

import ssl
from pathlib import Path

from cryptography import x509

from tutor.emulator.certs import ensure_certs


def test_it_reuses_the_files_on_restart(tmp_path: Path) -> None:
    first = ensure_certs(tmp_path)
    ca = first.ca_file.read_bytes()
    second = ensure_certs(tmp_path)
    assert second.ca_file.read_bytes() == ca


def test_it_replaces_a_broken_certificate(tmp_path: Path) -> None:
    files = ensure_certs(tmp_path)
    files.cert_file.write_text("garbage")
    ensure_certs(tmp_path)
    ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(files.cert_file)


def test_the_server_certificate_covers_localhost_and_loopback(tmp_path: Path) -> None:
    files = ensure_certs(tmp_path)
    leaf = x509.load_pem_x509_certificate(files.cert_file.read_bytes())
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert "127.0.0.1" in {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}
    assert oct(files.cert_file.stat().st_mode & 0o777) == "0o600"

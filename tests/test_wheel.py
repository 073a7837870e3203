"""The installed wheel carries sql/, templates/ and the demo fixture and finds them itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(out / "dist"), str(REPO)], check=True, capture_output=True)
    wheel = next((out / "dist").glob("reportgen-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(out / "site"), str(wheel)], check=True, capture_output=True)
    return out / "site"


def test_resources_resolve_inside_the_installed_package(installed, tmp_path):
    code = (
        "import reportgen, reportgen.resources as r\n"
        "print(reportgen.__file__)\n"
        "for f in (r.sql_dir, r.packs_dir, r.templates_dir, r.fixtures_dir): print(f())\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    package = Path(lines[0]).parent
    assert package.is_relative_to(installed)
    for line in lines[1:]:
        assert Path(line).is_relative_to(package) and Path(line).is_dir(), line
    assert sorted(p.name for p in (package / "sql" / "packs").glob("*.sql")) == sorted(
        p.name for p in (REPO / "sql" / "packs").glob("*.sql"))
    assert (package / "fixtures" / "demo" / "manifest.json").is_file()
    assert (package / "templates" / "report.html.j2").is_file()

# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``ospo-scan version [--json]``: the versions behind a result, for CI logs and bug reports.

As fast as ``--version``: versions are read from package metadata and from the text of
ScanCode's ``scancode_config.py``; nothing imports ScanCode or loads its license index.
"""

from __future__ import annotations

import json
import platform
from typing import Any

import click

from ospo_scan import __version__
from ospo_scan.engine import index


def versions() -> dict[str, Any]:
    """ospo-scan's, scancode-toolkit's and the license data's versions, and the platform's."""
    scancode = index.scancode_version()
    return {
        "ospo_scan": __version__,
        "scancode_toolkit": scancode,
        # ScanCode's license and rule data ships inside scancode-toolkit, versioned with it.
        "license_data": {
            "source": f"scancode-toolkit {scancode}",
            "spdx_license_list": index.spdx_license_list_version(),
            "index_built": index.index_stamp() is not None,
        },
        "python": platform.python_version(),
        "platform": f"{platform.system()}-{platform.machine()}",
    }


@click.command("version")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for CI logs and tools.")
def version_command(as_json: bool) -> None:
    """Show the versions of ospo-scan, scancode-toolkit and its license data."""
    found = versions()
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    data = found["license_data"]
    click.echo(f"ospo-scan {found['ospo_scan']}")
    click.echo(f"scancode-toolkit {found['scancode_toolkit']}")
    click.echo(f"license data: {data['source']}, SPDX license list {data['spdx_license_list']}")
    click.echo(f"python {found['python']} on {found['platform']}")

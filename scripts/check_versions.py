#!/usr/bin/env python3
"""One version for the library and every package: akt.h's AKT_VERSION_MAJOR/MINOR/PATCH must
equal the CMake project version, the pip package (pyproject.toml), the npm package
(package.json and its lock file) and the Maven artifact (pom.xml). Exit 1 naming each file
that differs.

    check_versions.py [REPO]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def header_version(repo: Path) -> str:
    text = (repo / "abi/include/akt/akt.h").read_text()
    parts = []
    for what in ("MAJOR", "MINOR", "PATCH"):
        m = re.search(rf"^#define AKT_VERSION_{what} (\d+)\s*$", text, re.M)
        if not m:
            sys.exit(f"versions: akt.h has no AKT_VERSION_{what}")
        parts.append(m.group(1))
    return ".".join(parts)


def package_versions(repo: Path) -> dict[str, str | None]:
    def first(path: str, pattern: str) -> str | None:
        m = re.search(pattern, (repo / path).read_text(), re.M | re.S)
        return m.group(1) if m else None

    lock = json.loads((repo / "bindings/node/package-lock.json").read_text())
    return {
        "CMakeLists.txt (project VERSION)": first("CMakeLists.txt", r"project\(akt VERSION ([\d.]+)"),
        "bindings/python/pyproject.toml": first("bindings/python/pyproject.toml",
                                                r'^version = "([^"]+)"'),
        "bindings/node/package.json": json.loads(
            (repo / "bindings/node/package.json").read_text()).get("version"),
        "bindings/node/package-lock.json": lock.get("version"),
        "bindings/node/package-lock.json (packages[''])": lock.get("packages", {}).get(
            "", {}).get("version"),
        # the project's own <version>, right after its <artifactId> (not a dependency's)
        "bindings/java/pom.xml": first("bindings/java/pom.xml",
                                       r"<modelVersion>.*?<artifactId>[^<]*</artifactId>\s*"
                                       r"<version>([^<]+)</version>"),
    }


def main() -> int:
    repo = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
    want = header_version(repo)
    bad = [f"versions: {where} says {got}, akt.h says {want}"
           for where, got in package_versions(repo).items() if got != want]
    for line in bad:
        print(line, file=sys.stderr)
    if not bad:
        print(f"versions: every package is {want}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

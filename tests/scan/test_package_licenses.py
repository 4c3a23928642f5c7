# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""Package conclusions (issue 16): what a declaration says, and whether the files agree.

Each fixture is a small tree written here, in the shape of a real package that went wrong:
an sdist whose only metadata is an ``*.egg-info/PKG-INFO`` (setuptools, pylint, astroid), a
``License`` field beside classifiers (Pygments, orjson), protobuf's variant of BSD-3-Clause,
an npm workspace root (npm itself), and declarations that are a choice or "or later". The
license texts come from ScanCode's own license data; ScanCode runs for real.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ospo_scan.engine import catalog, datafiles
from ospo_scan.licensing import covers, uncovered
from ospo_scan.model import ConclusionReason, Package, ScanResult
from ospo_scan.scan.options import ScanOptions
from ospo_scan.scan.packages import conclude
from ospo_scan.scan.pipeline import scan


def _text(spdx_id: str) -> str:
    """The license text ScanCode holds for ``spdx_id``."""
    return catalog.license_texts().by_id[spdx_id].text


def _pkg_info(name: str, *headers: str) -> str:
    lines = ["Metadata-Version: 2.4", f"Name: {name}", "Version: 1.0", *headers]
    return "\n".join(lines) + "\n\nA package.\n"


def _sdist(root: Path, name: str, license_text: str, *headers: str) -> Path:
    """An sdist as setuptools writes it: ``name.egg-info/PKG-INFO`` and a LICENSE."""
    (root / f"{name}.egg-info").mkdir(parents=True)
    (root / f"{name}.egg-info" / "PKG-INFO").write_text(_pkg_info(name, *headers), "utf-8")
    (root / "LICENSE").write_text(license_text, encoding="utf-8")
    return root


def _only(result: ScanResult, name: str) -> Package:
    (found,) = [p for p in result.packages if p.name == name]
    return found


def _scan(root: Path) -> ScanResult:
    return scan(root, ScanOptions(jobs=1, packages_only=True, cache_dir=None))


# --- class 2: PEP 639 License-Expression in every Python metadata file -----------------------


def test_license_expression_of_an_egg_info_sdist(tmp_path: Path) -> None:
    """``License-Expression`` is read from ``*.egg-info/PKG-INFO`` too (pylint 3.3.7)."""
    gpl = _text("GPL-2.0-only")
    _sdist(tmp_path / "lint", "lint", gpl, "License-Expression: GPL-2.0-or-later")
    _sdist(tmp_path / "liar", "liar", _text("MIT"), "License-Expression: GPL-2.0-or-later")
    _sdist(tmp_path / "either", "either", gpl, "License-Expression: GPL-2.0-or-later OR MIT")
    result = _scan(tmp_path)
    lint = _only(result, "lint")
    assert lint.datafile_paths == ("lint/lint.egg-info/PKG-INFO",)
    assert lint.declared_license == "GPL-2.0-or-later"
    assert lint.concluded_license_spdx == "GPL-2.0-or-later"  # not the text's GPL-2.0-only
    assert lint.concluded_reason is ConclusionReason.AGREE
    liar = _only(result, "liar")  # an injected MIT text is a conflict, not "detected_only"
    assert liar.concluded_reason is ConclusionReason.CONFLICT
    assert liar.conflict is not None
    assert liar.conflict.declared == "GPL-2.0-or-later"
    assert liar.conflict.detected == "MIT"
    either = _only(result, "either")
    assert either.concluded_license_spdx == "GPL-2.0-or-later OR MIT"
    assert either.conflict is None


def test_license_expression_wins_in_pkg_info(tmp_path: Path) -> None:
    metadata = tmp_path / "pkg" / "PKG-INFO"
    metadata.parent.mkdir()
    metadata.write_text(
        _pkg_info(
            "pkg",
            "License-Expression: LGPL-2.1-or-later",
            "License: LGPL",
            "Classifier: License :: OSI Approved :: MIT License",
        ),
        encoding="utf-8",
    )
    (data,) = datafiles.parse_package_data(str(metadata)).package_data
    assert data["extracted_license_statement"] == "LGPL-2.1-or-later"
    assert data["declared_license_expression_spdx"] == "LGPL-2.1-or-later"


# --- class 3: License field, then classifiers; never both AND-ed ------------------------------


@pytest.mark.parametrize(
    ("headers", "statement", "spdx"),
    [
        # The License field wins over a classifier of the same intent (issue 16's example).
        (
            [
                "License: LGPL-2.0-or-later",
                "Classifier: License :: OSI Approved :: "
                "GNU Lesser General Public License v3 or later (LGPLv3+)",
            ],
            "LGPL-2.0-or-later",
            "LGPL-2.0-or-later",
        ),
        # Pygments 2.18.0: "BSD License" is BSD-3-Clause to ScanCode; the field is precise.
        (
            ["License: BSD-2-Clause", "Classifier: License :: OSI Approved :: BSD License"],
            "BSD-2-Clause",
            "BSD-2-Clause",
        ),
        # orjson 3.10.18: a choice stays a choice, not "(Apache-2.0 OR MIT) AND Apache-2.0 ...".
        (
            [
                "License: Apache-2.0 OR MIT",
                "Classifier: License :: OSI Approved :: Apache Software License",
                "Classifier: License :: OSI Approved :: MIT License",
            ],
            "Apache-2.0 OR MIT",
            "Apache-2.0 OR MIT",
        ),
        # python-dateutil: a License field that names no license leaves the classifiers.
        (
            [
                "License: Dual License",
                "Classifier: License :: OSI Approved :: BSD License",
                "Classifier: License :: OSI Approved :: Apache Software License",
            ],
            "classifiers:\n  - 'License :: OSI Approved :: BSD License'\n"
            "  - 'License :: OSI Approved :: Apache Software License'\n",
            "BSD-3-Clause AND Apache-2.0",
        ),
    ],
)
def test_license_field_precedes_classifiers(
    tmp_path: Path, headers: list[str], statement: str, spdx: str
) -> None:
    metadata = tmp_path / "thing.egg-info" / "PKG-INFO"
    metadata.parent.mkdir()
    metadata.write_text(_pkg_info("thing", *headers), encoding="utf-8")
    (data,) = datafiles.parse_package_data(str(metadata)).package_data
    assert data["extracted_license_statement"] == statement
    assert data["declared_license_expression_spdx"] == spdx
    # The declared detections follow the statement that decided.
    assert {d["license_expression_spdx"] for d in data["license_detections"]} <= set(
        spdx.replace("(", "").replace(")", "").replace(" OR ", " AND ").split(" AND ")
    ) | {spdx}


def test_pyproject_license_string_precedes_classifiers(tmp_path: Path) -> None:
    """PEP 639's ``[project] license = "expr"`` is not AND-ed with the classifiers."""
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "later"\nversion = "1.0"\nlicense = "GPL-2.0-or-later OR MIT"\n'
        'classifiers = ["License :: OSI Approved :: '
        'GNU General Public License v3 or later (GPLv3+)"]\n',
        encoding="utf-8",
    )
    (data,) = datafiles.parse_package_data(str(pyproject)).package_data
    assert data["declared_license_expression_spdx"] == "GPL-2.0-or-later OR MIT"


# The PSF's license by name: SPDX's PSF-2.0, not Python's whole license (defusedxml 0.7.1).

_PSF_CLASSIFIER = "Classifier: License :: OSI Approved :: Python Software Foundation License"


@pytest.mark.parametrize(
    ("headers", "spdx"),
    [
        ([_PSF_CLASSIFIER], "PSF-2.0"),
        (["License: PSFL", _PSF_CLASSIFIER], "PSF-2.0"),  # defusedxml's two statements
        (["License: Python Software Foundation License"], "PSF-2.0"),
        (["License: PSF License Agreement version 2"], "PSF-2.0"),
        (
            [_PSF_CLASSIFIER, "Classifier: License :: OSI Approved :: MIT License"],
            "PSF-2.0 AND MIT",
        ),
        # Python's whole license, by its own name, stays Python-2.0.
        (["License: Python License"], "Python-2.0"),
        # A name that only starts like the PSF's is left to ScanCode.
        (["License: PSF License and a CNRI License"], None),
    ],
)
def test_the_psf_license_by_name_is_psf_2_0(
    tmp_path: Path, headers: list[str], spdx: str | None
) -> None:
    metadata = tmp_path / "PKG-INFO"
    metadata.write_text(_pkg_info("defused", *headers), encoding="utf-8")
    (data,) = datafiles.parse_package_data(str(metadata)).package_data
    if spdx is None:
        assert "PSF-2.0" not in (data["declared_license_expression_spdx"] or "")
    else:
        assert data["declared_license_expression_spdx"] == spdx
        assert {d["license_expression_spdx"] for d in data["license_detections"]} == set(
            spdx.split(" AND ")
        )


def test_the_psf_license_by_name_in_pyproject(tmp_path: Path) -> None:
    """A plain ``license`` string of pyproject.toml names the PSF's license too."""
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "defused"\nversion = "1.0"\nlicense = {text = "PSF License"}\n',
        encoding="utf-8",
    )
    (data,) = datafiles.parse_package_data(str(pyproject)).package_data
    assert data["extracted_license_statement"] == "PSF License"
    assert data["declared_license_expression_spdx"] == "PSF-2.0"


def test_a_psf_classifier_agrees_with_the_psf_text(tmp_path: Path) -> None:
    """The classifier and the PSF agreement agree; Python's whole license is flagged."""
    _sdist(tmp_path / "psf", "psf", _text("PSF-2.0"), _PSF_CLASSIFIER)
    _sdist(tmp_path / "whole", "whole", _text("Python-2.0"), _PSF_CLASSIFIER)
    result = _scan(tmp_path)
    psf = _only(result, "psf")
    assert psf.declared_license_spdx == "PSF-2.0"
    assert psf.concluded_license_spdx == "PSF-2.0"
    assert psf.concluded_reason is ConclusionReason.AGREE
    whole = _only(result, "whole")
    assert whole.concluded_reason is ConclusionReason.CONFLICT
    assert whole.conflict is not None
    assert whole.conflict.declared == "PSF-2.0"


# --- class 4: ScanCode-only ids for SPDX licenses ---------------------------------------------


def test_a_scancode_variant_agrees_with_the_spdx_license(tmp_path: Path) -> None:
    """protobuf 5.29.3: PKG-INFO says BSD-3-Clause, ScanCode names the text protobuf's."""
    protobuf = _text("LicenseRef-scancode-protobuf")
    _sdist(tmp_path / "proto", "proto", protobuf, "License: BSD-3-Clause")
    _sdist(tmp_path / "narrow", "narrow", protobuf, "License: BSD-2-Clause")
    result = _scan(tmp_path)
    proto = _only(result, "proto")
    assert proto.detected_license_spdx == "LicenseRef-scancode-protobuf"
    assert proto.concluded_license_spdx == "BSD-3-Clause"
    assert proto.concluded_reason is ConclusionReason.AGREE
    assert proto.conflict is None
    # The closest SPDX license decides: protobuf's text is BSD-3-Clause's, not BSD-2-Clause's.
    assert _only(result, "narrow").concluded_reason is ConclusionReason.CONFLICT


@pytest.mark.parametrize(
    ("declared", "detected", "same"),
    [
        ("BSD-3-Clause", "LicenseRef-scancode-protobuf", True),  # a variant, by its text
        ("BSD-3-Clause", "LicenseRef-scancode-bsd-new", True),  # the same ScanCode key
        ("Net-SNMP", "LicenseRef-scancode-net-snmp", True),  # other_spdx_license_keys
        ("GPL-2.0", "GPL-2.0-only", True),  # a deprecated SPDX id
        ("BSD-2-Clause", "LicenseRef-scancode-protobuf", False),  # not the closest
        ("BSD-2-Clause", "LicenseRef-scancode-bsd-3-clause-no-military", False),  # category
        ("MIT", "LicenseRef-scancode-unknown-license-reference", False),
        ("MIT", "Apache-2.0", False),
    ],
)
def test_same_license_by_scancode_data(declared: str, detected: str, same: bool) -> None:
    assert catalog.same_license(declared, detected) is same


# --- class 5: npm workspaces -----------------------------------------------------------------


def test_npm_workspace_root_and_members(tmp_path: Path) -> None:
    """npm 10.9.2's own package.json has ``workspaces``: ScanCode dropped the root package."""
    root = tmp_path / "mono"
    manifests = {
        "package.json": {
            "name": "mono-root",
            "version": "1.0.0",
            "license": "MIT",
            "workspaces": ["packages/*"],
            "devDependencies": {"typescript": "^5.0.0"},
        },
        "packages/a/package.json": {
            "name": "@mono/a",
            "version": "0.1.0",
            "license": "Apache-2.0",
            "dependencies": {"left-pad": "^1.3.0"},
        },
        "packages/b/package.json": {
            "name": "@mono/b",
            "version": "0.2.0",
            "license": "MIT",
            "dependencies": {"@mono/a": "0.1.0"},
        },
    }
    for path, manifest in manifests.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(json.dumps(manifest), encoding="utf-8")
    (root / "LICENSE").write_text(_text("MIT"), encoding="utf-8")
    result = _scan(root)
    assert [(p.purl, p.root_path) for p in result.packages] == [
        ("pkg:npm/mono-root@1.0.0", ""),
        ("pkg:npm/%40mono/a@0.1.0", "packages/a"),
        ("pkg:npm/%40mono/b@0.2.0", "packages/b"),
    ]
    mono = _only(result, "mono-root")
    assert mono.datafile_paths == ("package.json",)
    assert mono.license_files == ("LICENSE",)
    assert mono.concluded_reason is ConclusionReason.AGREE
    by_name = {d.name: d for d in result.dependencies}
    assert by_name["typescript"].for_package == "pkg:npm/mono-root@1.0.0"
    assert by_name["left-pad"].for_package == "pkg:npm/%40mono/a@0.1.0"
    assert by_name["@mono/a"].for_package == "pkg:npm/%40mono/b@0.2.0"
    assert len(result.dependencies) == 3


# --- class 6: dual licences and "or later" -----------------------------------------------------


def _concluded(declared: str, detected: str) -> Package:
    package = Package(purl="pkg:npm/x@1", type="npm", name="x", declared_license_spdx=declared)
    return conclude(package, detected, ("LICENSE",))


@pytest.mark.parametrize(
    ("declared", "detected"),
    [
        ("MIT OR Apache-2.0", "Apache-2.0 AND MIT"),  # LICENSE-MIT and LICENSE-APACHE
        ("Apache-2.0 OR MIT", "MIT"),  # one of the alternatives
        ("Unlicense OR MIT", "(MIT OR Unlicense) AND MIT AND Unlicense"),  # memchr's files
        ("GPL-2.0-or-later", "GPL-2.0-only"),  # a GPL text never says "or later"
        ("LGPL-2.0-or-later", "LGPL-2.1-only"),  # chardet, paramiko: a later version's text
        ("GPL-2.0+", "GPL-3.0-only"),  # "or later" in the deprecated spelling
    ],
)
def test_declaration_agrees(declared: str, detected: str) -> None:
    package = _concluded(declared, detected)
    assert package.concluded_reason is ConclusionReason.AGREE
    assert package.concluded_license_spdx == declared
    assert package.conflict is None


@pytest.mark.parametrize(
    ("declared", "detected"),
    [
        ("GPL-3.0-or-later", "GPL-2.0-only"),  # an earlier version than "or later" allows
        ("LGPL-2.1-or-later", "GPL-2.0-only"),  # another license, however close its name
        ("MIT OR Apache-2.0", "MIT AND GPL-3.0-only"),
    ],
)
def test_declaration_disagrees(declared: str, detected: str) -> None:
    assert not covers(declared, detected)
    assert _concluded(declared, detected).concluded_reason is ConclusionReason.CONFLICT


@pytest.mark.parametrize(
    ("declared", "detected", "left", "concluded"),
    [
        # encoding_rs: the choice survives a third license in the files.
        (
            "(Apache-2.0 OR MIT) AND BSD-3-Clause",
            "BSD-3-Clause AND LicenseRef-scancode-public-domain AND Apache-2.0 AND MIT",
            "LicenseRef-scancode-public-domain",
            "(Apache-2.0 OR MIT) AND BSD-3-Clause AND LicenseRef-scancode-public-domain",
        ),
        # ansible-core: "or later" survives the bundled licenses.
        (
            "GPL-3.0-or-later",
            "GPL-3.0-only AND Apache-2.0 AND MIT",
            "Apache-2.0 AND MIT",
            "GPL-3.0-or-later AND Apache-2.0 AND MIT",
        ),
    ],
)
def test_a_conflict_concludes_the_declaration_and_what_it_does_not_cover(
    declared: str, detected: str, left: str, concluded: str
) -> None:
    assert uncovered(declared, detected) == left
    package = _concluded(declared, detected)
    assert package.concluded_reason is ConclusionReason.CONFLICT
    assert package.concluded_license_spdx == concluded
    assert package.conflict is not None
    assert package.conflict.detected == detected  # the files' side stays whole, for review


# --- the LGPL-3.0 incorporates the GPL-3.0 (found by the accuracy benchmark) -----------------


def test_lgpl3_package_ships_the_gpl3_text_it_incorporates(tmp_path: Path) -> None:
    """gmpy2, python-gitlab, ldap3: COPYING (the GPL-3.0) beside COPYING.LESSER."""
    for name, declared in (("lesser", "LGPL-3.0-or-later"), ("plain", "GPL-2.0-only")):
        root = _sdist(tmp_path / name, name, _text("GPL-3.0-only"), f"License: {declared}")
        (root / "COPYING.LESSER").write_text(_text("LGPL-3.0-only"), encoding="utf-8")
    alone = _sdist(tmp_path / "alone", "alone", _text("GPL-3.0-only"), "License: LGPL-3.0-only")
    assert alone.is_dir()
    result = _scan(tmp_path)
    lesser = _only(result, "lesser")
    assert lesser.detected_license_spdx == "LGPL-3.0-only AND GPL-3.0-only"
    assert lesser.concluded_license_spdx == "LGPL-3.0-or-later"
    assert lesser.concluded_reason is ConclusionReason.AGREE
    # A GPL-3.0 text without the LGPL-3.0 one is a GPL license: still a conflict.
    assert _only(result, "alone").concluded_reason is ConclusionReason.CONFLICT
    # Another declaration gains nothing from it.
    assert _only(result, "plain").concluded_reason is ConclusionReason.CONFLICT

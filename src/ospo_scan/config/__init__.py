# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The configuration file: ``.ospo-scan.yml`` or ``[tool.ospo-scan]`` in ``pyproject.toml``.

Nothing here knows Click: the CLI describes its commands' options as key specs, and applies
the loaded settings as the commands' defaults (so that the command line wins).

- :mod:`.keys`: what a key is (its name, the type of its value, its JSON Schema);
- :mod:`.files`: where a folder's configuration is, and its data with the line of every key;
- :mod:`.load`: validation into a :class:`~.model.Config`, errors naming file, line and key;
- :mod:`.model`: the loaded configuration, and the effective settings with their sources;
- :mod:`.schema`: the JSON Schemas of the configuration and policy files.
"""

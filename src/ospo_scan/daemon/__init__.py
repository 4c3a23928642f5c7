# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""The daemon: ScanCode loaded once, every command forked from it.

- :mod:`.protocol`: the socket's place, the build identity, the messages (standard library only);
- :mod:`.client`: hand a command over and relay signals and the exit code (standard library only);
- :mod:`.control`: start, stop, status;
- :mod:`.server`: the resident process.
"""

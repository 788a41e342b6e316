"""What the project installs for itself says what is missing and how to install it."""

import pytest

from bantin.toolchain import ToolchainError, pagefind


def test_pagefind_is_the_binary_npm_installed_for_this_machine(repo_root):
    binary, version = pagefind(repo_root)
    assert binary.is_file() and binary.stat().st_mode & 0o111
    assert binary.is_relative_to(repo_root / "node_modules" / "@pagefind")
    assert version.count(".") == 2


def test_a_missing_pagefind_names_the_command_that_installs_it(tmp_path):
    with pytest.raises(ToolchainError, match=r"node_modules/@pagefind/.*missing.*\./dev setup"):
        pagefind(tmp_path)

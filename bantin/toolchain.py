"""The system tools the test suite needs, installed from Debian's packages and npm.

A fresh machine has only Python, so the project installs everything else itself:
Chromium (driven by Playwright), a Java runtime for the Nu Html Checker, node and npm
for the checkers in package-lock.json, and the fonts that screenshots are drawn with.

To need another Debian tool, add one line to ``DEBIAN_TOOLS``: what to probe (a
command on PATH, or an absolute path for things that are not on a user's PATH) and
the package that provides it.

pywb (the web archive replay the archive tests use) gets an environment of its own,
``.venv-pywb/``, from ``requirements-pywb.lock``: it needs gevent and an old redis
client that the project's own environment should not carry.
"""

import hashlib
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"

# Without the networking flags Chromium phones home (updates, sync, QUIC probes),
# which fails slowly on machines that reach nothing but the package registries.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
)

MIN_JAVA = 11  # the oldest runtime the Nu Html Checker supports

# probe -> Debian package that provides it
DEBIAN_TOOLS = {
    CHROMIUM: "chromium",
    "java": "default-jre-headless",
    "node": "nodejs",
    "npm": "npm",
    # Noto covers Vietnamese; without it screenshots fall back to whatever font is there.
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf": "fonts-noto-core",
    # A real feed reader, for the feed tests.
    "newsboat": "newsboat",
    # A real SSH server, client and rsync, for the publishing tests (and `./dev publish`).
    "/usr/sbin/sshd": "openssh-server",
    "rsync": "rsync",
    "ssh": "openssh-client",
}

# What building needs: npm installs Pagefind.
BUILD_TOOLS = {probe: DEBIAN_TOOLS[probe] for probe in ("node", "npm")}
NPM_STAMP = ".bantin-package-lock.sha256"
# Pagefind's npm release has one package per platform, named as node names them
# (sys.platform: "linux", "darwin", "win32", "freebsd14"…).
_NODE_OS = {"linux": "linux", "darwin": "darwin", "win32": "windows", "freebsd": "freebsd"}
_NODE_CPU = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}

PYWB_VENV = ".venv-pywb"
PYWB_LOCK = "requirements-pywb.lock"
PYWB_STAMP = ".bantin-requirements-pywb.sha256"
PYWB_COMMANDS = ("wayback", "wb-manager")


class ToolchainError(RuntimeError):
    """A tool the project needs is missing and cannot be installed from here."""


def vnu_jar(repo_root: Path) -> Path:
    """The Nu Html Checker installed by npm (package ``vnu-jar``)."""
    return _npm_file(repo_root, "vnu-jar/build/dist/vnu.jar")


def axe_js(repo_root: Path) -> Path:
    """axe-core's browser script installed by npm (package ``axe-core``)."""
    return _npm_file(repo_root, "axe-core/axe.min.js")


def pagefind(repo_root: Path) -> tuple[Path, str]:
    """Pagefind's binary for this machine, installed by npm (package ``pagefind``, whose
    releases reach npm first), and its version."""
    system = next((node for ours, node in _NODE_OS.items() if sys.platform.startswith(ours)), "")
    cpu = _NODE_CPU.get(platform.machine().lower(), platform.machine())
    package = f"@pagefind/{system}-{cpu}"
    name = "pagefind_extended.exe" if system == "windows" else "pagefind_extended"
    binary = _npm_file(repo_root, f"{package}/bin/{name}")
    about = json.loads(_npm_file(repo_root, f"{package}/package.json").read_text())
    return binary, about["version"]


def _npm_file(repo_root: Path, relative: str) -> Path:
    path = Path(repo_root) / "node_modules" / relative
    if not path.is_file():
        raise ToolchainError(
            f"{path} is missing: the npm packages are not installed. Run `./dev setup` "
            "(`./dev build`, `./dev serve` and `./dev test` run it too) or `npm ci --ignore-scripts`."
        )
    return path


def is_present(probe: str) -> bool:
    """True if ``probe`` (a command name or an absolute path) is on this machine."""
    if os.path.isabs(probe):
        return os.path.exists(probe)
    return shutil.which(probe) is not None


def missing_packages(tools: dict[str, str] = DEBIAN_TOOLS) -> list[str]:
    """The Debian packages to install for the probes that are absent, in table order."""
    packages = [package for probe, package in tools.items() if not is_present(probe)]
    if "java" in tools and is_present("java") and not _java_is_recent():
        packages.append(tools["java"])
    return list(dict.fromkeys(packages))


def java_major_version() -> int | None:
    """The major version of ``java`` on PATH, or None if it is missing or unreadable."""
    java = shutil.which("java")
    if java is None:
        return None
    # `java -version` writes to stderr, and its format has changed over the years:
    # 'version "1.8.0_392"' means 8, 'version "17.0.15"' means 17.
    result = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _java_is_recent() -> bool:
    version = java_major_version()
    return version is not None and version >= MIN_JAVA


def ensure_build_tools(repo_root: Path) -> None:
    """Install what building the site needs that this machine lacks: Pagefind, by npm."""
    install_debian_packages(missing_packages(BUILD_TOOLS))
    ensure_npm_packages(repo_root)
    pagefind(repo_root)


def install_debian_packages(packages: list[str]) -> None:
    """Install ``packages`` with apt-get as root, or explain the command to run."""
    if not packages:
        return
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    if shutil.which("apt-get") is None:
        raise ToolchainError(
            "These tools are missing and this machine has no apt-get: install the "
            f"equivalents of the Debian packages {', '.join(packages)}."
        )
    if os.geteuid() != 0:
        raise ToolchainError(
            f"Missing system packages. Install them with:\n  sudo {' '.join(command)}"
        )
    logger.info("Installing Debian packages: %s", " ".join(packages))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update"], command):
        if subprocess.run(step, env=env, check=False).returncode != 0:
            raise ToolchainError(f"`{' '.join(step)}` failed; see its output above.")


def ensure_npm_packages(repo_root: Path) -> None:
    """Run ``npm ci`` when node_modules is missing or package-lock.json has changed."""
    repo_root = Path(repo_root)
    lock = repo_root / "package-lock.json"
    stamp = repo_root / "node_modules" / NPM_STAMP
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return
    logger.info("Installing npm packages from package-lock.json")
    # vnu-jar's postinstall script downloads a Java runtime from outside the npm
    # registry when it finds none; we bring Java from Debian, so skip scripts.
    command = ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
    if subprocess.run(command, cwd=repo_root, check=False).returncode != 0:
        raise ToolchainError(f"`{' '.join(command)}` failed in {repo_root}; see its output.")
    stamp.write_text(digest + "\n")


def _pywb_digest(repo_root: Path) -> str:
    return hashlib.sha256((Path(repo_root) / PYWB_LOCK).read_bytes()).hexdigest()


def pywb_bin(repo_root: Path) -> Path:
    """The folder holding pywb's ``wayback`` and ``wb-manager``, as ensure_pywb left it."""
    venv = Path(repo_root) / PYWB_VENV
    stamp = venv / PYWB_STAMP
    commands_present = all((venv / "bin" / command).is_file() for command in PYWB_COMMANDS)
    if not (commands_present and stamp.is_file()):
        raise ToolchainError(
            f"pywb is missing: {venv} has no wayback/wb-manager. Run `./dev test` (it "
            "installs it) or `.venv/bin/python -c 'from bantin.toolchain import "
            'ensure_pywb; ensure_pywb(".")\'`.'
        )
    if stamp.read_text().strip() != _pywb_digest(repo_root):
        raise ToolchainError(
            f"{venv} does not match {PYWB_LOCK}, which has changed: run `./dev test` "
            "(it reinstalls pywb)."
        )
    return venv / "bin"


def ensure_pywb(repo_root: Path) -> Path:
    """Create .venv-pywb with the pinned pywb of requirements-pywb.lock when it is
    missing or the lock has changed; return the folder of ``wayback`` and ``wb-manager``."""
    repo_root = Path(repo_root)
    venv = repo_root / PYWB_VENV
    try:
        return pywb_bin(repo_root)
    except ToolchainError:
        pass
    logger.info("Installing pywb into %s from %s", PYWB_VENV, PYWB_LOCK)
    python = venv / "bin" / "python"
    pip_install = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [*pip_install, "--requirement", str(repo_root / PYWB_LOCK)],
    ]
    for step in steps:
        if subprocess.run(step, cwd=repo_root, check=False).returncode != 0:
            raise ToolchainError(f"`{' '.join(step)}` failed; see its output above.")
    (venv / PYWB_STAMP).write_text(_pywb_digest(repo_root) + "\n")
    return pywb_bin(repo_root)


def ensure_test_tools(repo_root: Path) -> None:
    """Install whatever the test suite needs that this machine lacks."""
    install_debian_packages(missing_packages())
    still_missing = missing_packages()
    if still_missing:
        message = (
            f"Still missing after apt-get install: {', '.join(still_missing)}; "
            f"check their probes in {__name__}.DEBIAN_TOOLS."
        )
        if DEBIAN_TOOLS["java"] in still_missing:
            message += f" `java` on PATH must be {MIN_JAVA}+ (it is {java_major_version()})."
        raise ToolchainError(message)
    ensure_npm_packages(repo_root)
    pagefind(repo_root)
    vnu_jar(repo_root)
    axe_js(repo_root)
    ensure_pywb(repo_root)


def problems_with_test_tools(repo_root: Path) -> list[str]:
    """What keeps the test suite's checkers from running, without installing anything."""
    problems = []
    if not is_present(CHROMIUM):
        problems.append(f"Chromium is missing at {CHROMIUM} (Debian package chromium)")
    if not _java_is_recent():
        problems.append(
            f"Java {MIN_JAVA}+ is missing (found {java_major_version()}; "
            "Debian package default-jre-headless)"
        )
    for helper in (vnu_jar, axe_js):
        try:
            helper(repo_root)
        except ToolchainError as error:
            problems.append(str(error))
    return problems

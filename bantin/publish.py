"""Deploys the public site over SSH with rsync, switched in atomically: `invoke publish`.

On the server, under ``DEPLOY_PATH``::

    releases/20260105T101500.123456Z/   one folder per published build, named by time
    releases/…                          older ones, kept for rollback (DEPLOY_KEEP)
    current -> releases/20260105T…      the web server's document root
    incoming/                           the upload in progress, or one that was cut off

A publish uploads the build into ``incoming/`` with rsync, hard-linking every file
that is unchanged since the live release (``--link-dest``), so only changed files
travel and an unchanged photo takes no space. Only when rsync has finished does one
remote command rename ``incoming/`` into ``releases/`` and move a new symlink over
``current`` (``mv -T``: one rename(2), atomic). A visitor therefore reads either the
old release or the new one, each complete; an upload that fails or is cut off leaves
``current`` as it was, and the next publish reuses what ``incoming/`` already holds.
Then the releases beyond ``DEPLOY_KEEP`` are deleted, never the live one.

Every command is an argument list. The remote side runs fixed POSIX ``sh`` scripts
from this module, with the settings passed as quoted arguments, never spliced in.

With ``DEPLOY_TARGET = "s3"`` the site goes to an S3-compatible object store instead
(bantin/publish_s3.py); ``publish_site`` builds for either.
"""

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from bantin.build import build, load_settings

if TYPE_CHECKING:
    from bantin.publish_s3 import StoreDeployment

# Where each local tool comes from on Debian, for the error that says how to get it.
LOCAL_TOOLS = {"ssh": "openssh-client", "rsync": "rsync"}

RELEASES = "releases"
CURRENT = "current"
INCOMING = "incoming"
PARTIAL_DIR = ".rsync-partial"

RELEASE_FORMAT = "%Y%m%dT%H%M%S.%fZ"
RELEASE_NAME = re.compile(r"\d{8}T\d{6}\.\d{6}Z")

ENVIRONMENT_PREFIX = "BANTIN_"
TARGETS = {"ssh": "rsync to a web server", "s3": "an S3-compatible object store"}
HOST_KEY_CHECKING = ("yes", "accept-new")
SAFE_HOST = re.compile(r"(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9][A-Za-z0-9.-]*")
SAFE_PATH = re.compile(r"/[A-Za-z0-9._/-]*")

# The remote side: fixed scripts (their commands run in order) that get the settings as "$1",
# "$2"… ("$0" is a label). _STATE prints what is on the server: "current releases/X",
# then "release X" for each folder in releases/, then "incoming" if an upload is there.
_STATE = (
    'set -e; [ -d "$1" ] || exit 0; cd -- "$1"',
    "if [ -L current ]; then printf 'current %s\\n' \"$(readlink current)\"; "
    'elif [ -e current ]; then echo "$1/current is not a symlink" >&2; exit 3; fi',
    "if [ -d releases ]; then ls -1A releases | sed 's/^/release /'; fi",
    "if [ -d incoming ]; then echo incoming; fi",
)
_PREPARE = ('set -e; mkdir -p -- "$1/releases"', *_STATE)
# The switch: the finished upload becomes a release, then one rename(2) makes it live.
_SWITCH = (
    'set -e; cd -- "$1"',
    'mv -T -- incoming "releases/$2"',
    'ln -s -- "releases/$2" ".current.$2"',
    'mv -T -- ".current.$2" current',
)
_PRUNE = ('set -e; cd -- "$1/releases"; shift', 'rm -rf -- "$@"')

# rsync: recursive, symlinks as symlinks, and files readable by the web server whatever
# the local umask. No -t: Pelican rewrites every file, so rsync compares contents
# (--checksum), and a file whose contents and mode match the live release is hard-linked.
_RSYNC_OPTIONS = (
    "--recursive",
    "--links",
    "--perms",
    "--chmod=D755,F644",
    "--checksum",
    "--delete",
    f"--partial-dir={PARTIAL_DIR}",
    "--timeout=120",
    "--stats",
    "--no-human-readable",
)


class DeployError(Exception):
    """The site was not published; the live site on the server is as it was."""


class DeploySettingsError(DeployError):
    """A DEPLOY_* setting is missing or wrong."""


@dataclass(frozen=True)
class DeploySettings:
    """Where and how to deploy, from the DEPLOY_* settings (see publishconf.py)."""

    host: str
    path: str
    port: int = 22
    ssh_key: Path | None = None
    keep: int = 5
    host_key_checking: str = "yes"
    known_hosts: Path | None = None

    @property
    def destination(self) -> str:
        return f"{self.host}:{self.path}"

    @classmethod
    def from_settings(
        cls, settings: Mapping, environ: Mapping[str, str] | None = None
    ) -> "DeploySettings":
        """Read and check the DEPLOY_* settings; BANTIN_DEPLOY_* in the environment wins."""
        value = partial(setting, settings, os.environ if environ is None else environ)
        host, where = value("DEPLOY_HOST", "")
        if not host:
            raise DeploySettingsError(
                f"{where} is not set: give the web server as [user@]host in publishconf.py "
                "or in BANTIN_DEPLOY_HOST"
            )
        if not isinstance(host, str) or not SAFE_HOST.fullmatch(host):
            raise DeploySettingsError(
                f"{where} is {host!r}; expected [user@]host (letters, digits, '.', '-', '_'), "
                "without a port or path (those are DEPLOY_PORT and DEPLOY_PATH)"
            )
        path, where = value("DEPLOY_PATH", "")
        if not isinstance(path, str) or not SAFE_PATH.fullmatch(path):
            raise DeploySettingsError(
                f"{where} is {path!r}; expected an absolute path on the server, such as "
                "/srv/bantin (letters, digits, '.', '-', '_' and '/')"
            )
        parts = PurePosixPath(path).parts
        if len(parts) < 2 or ".." in parts:
            raise DeploySettingsError(
                f"{where} is {path!r}; expected a folder of its own, such as /srv/bantin"
            )
        port = _integer(*value("DEPLOY_PORT", 22), lowest=1, highest=65535)
        keep = _integer(*value("DEPLOY_KEEP", 5), lowest=1, highest=None)
        checking, where = value("DEPLOY_HOST_KEY_CHECKING", "yes")
        if checking not in HOST_KEY_CHECKING:
            raise DeploySettingsError(
                f"{where} is {checking!r}; expected 'yes' (the server's key must be in "
                "known_hosts) or 'accept-new' (trust it on first contact only)"
            )
        ssh_key = _local_file(*value("DEPLOY_SSH_KEY"), must_exist=True)
        known_hosts = _local_file(*value("DEPLOY_KNOWN_HOSTS"), must_exist=checking == "yes")
        return cls(
            host=host,
            path=str(PurePosixPath(path)),
            port=port,
            ssh_key=ssh_key,
            keep=keep,
            host_key_checking=checking,
            known_hosts=known_hosts,
        )


def setting(
    settings: Mapping, environ: Mapping[str, str], name: str, default=None
) -> tuple[object, str]:
    """A DEPLOY_* setting's value, BANTIN_DEPLOY_* in environ winning, and how an error
    should name it."""
    variable = ENVIRONMENT_PREFIX + name
    if variable in environ:
        return environ[variable], f"{name} (from {variable} in the environment)"
    return settings.get(name, default), name


def deploy_target(settings: Mapping, environ: Mapping[str, str]) -> str:
    """Where DEPLOY_TARGET sends the site: "ssh" (the default) or "s3"."""
    target, where = setting(settings, environ, "DEPLOY_TARGET", "ssh")
    if target not in TARGETS:
        expected = " or ".join(f"{name!r} ({meaning})" for name, meaning in TARGETS.items())
        raise DeploySettingsError(f"{where} is {target!r}; expected {expected}")
    return target


def _integer(raw: object, where: str, *, lowest: int, highest: int | None) -> int:
    try:
        number = int(str(raw).strip())
    except ValueError:
        number = None
    if number is None or number < lowest or (highest is not None and number > highest):
        expected = f"from {lowest} to {highest}" if highest else f"{lowest} or more"
        raise DeploySettingsError(f"{where} is {raw!r}; expected a whole number {expected}")
    return number


def _local_file(raw: object, where: str, *, must_exist: bool) -> Path | None:
    if raw is None or raw == "":
        return None
    path = Path(str(raw)).expanduser()
    if must_exist and not path.is_file():
        raise DeploySettingsError(f"{where} is {str(raw)!r}, which is not a file on this machine")
    return path


@dataclass(frozen=True)
class Step:
    """One command of a deploy, with what it does in words."""

    description: str
    argv: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.description}:\n  {shlex.join(self.argv)}"


@dataclass(frozen=True)
class Deployment:
    """What a publish did (or, with dry_run, would do)."""

    destination: str
    release: str
    previous: str | None
    pruned: tuple[str, ...]
    steps: tuple[Step, ...]
    dry_run: bool = False
    files_sent: int | None = None
    bytes_sent: int | None = None

    def report(self) -> str:
        if self.dry_run:
            lines = [f"Dry run: nothing was changed on {self.destination}. A publish would:"]
            lines += [str(step) for step in self.steps]
            return "\n".join(lines)
        lines = [f"Published {self.destination}/{RELEASES}/{self.release} (now {CURRENT})."]
        if self.files_sent is not None:
            lines.append(f"Uploaded {self.files_sent} changed files ({self.bytes_sent} bytes).")
        if self.previous:
            lines.append(f"Previous release: {self.previous} (roll back to it as the README says).")
        if self.pruned:
            lines.append(f"Deleted old releases: {', '.join(self.pruned)}.")
        return "\n".join(lines)


@dataclass(frozen=True)
class _ServerState:
    current: str | None
    releases: tuple[str, ...]
    incoming: bool


def local_tools(search_path: str | None = None) -> dict[str, str]:
    """The absolute paths of ssh and rsync on PATH (or search_path), or a DeployError
    naming the Debian packages to install."""
    found = {tool: shutil.which(tool, path=search_path) for tool in LOCAL_TOOLS}
    missing = [tool for tool, path in found.items() if path is None]
    if missing:
        packages = " ".join(LOCAL_TOOLS[tool] for tool in missing)
        raise DeployError(
            f"{' and '.join(missing)} not found on PATH: publishing needs them. On Debian: "
            f"apt-get install {packages} (the server needs rsync too)"
        )
    return found


def ssh_options(settings: DeploySettings) -> list[str]:
    """ssh's options for the server: no prompts, the host key checked, dead links noticed."""
    options = [
        "-o",
        "BatchMode=yes",
        "-o",
        f"StrictHostKeyChecking={settings.host_key_checking}",
        "-o",
        "ConnectTimeout=30",
        "-o",
        "ServerAliveInterval=15",
        "-o",
        "ServerAliveCountMax=4",
        "-p",
        str(settings.port),
    ]
    if settings.known_hosts is not None:
        # Quoted: ssh reads this option's value as a list of files separated by spaces.
        options += ["-o", f'UserKnownHostsFile="{settings.known_hosts}"']
    if settings.ssh_key is not None:
        options += ["-i", str(settings.ssh_key), "-o", "IdentitiesOnly=yes"]
    return options


def new_release_name(now: datetime | None = None) -> str:
    """A release's folder name: the UTC time, so names sort in publishing order."""
    return (now or datetime.now(UTC)).strftime(RELEASE_FORMAT)


def releases_to_prune(releases: list[str], current: str, keep: int) -> list[str]:
    """The releases to delete: all but the live one and the `keep` newest others.
    Folders not named like a release are left alone."""
    older = sorted(
        (name for name in releases if RELEASE_NAME.fullmatch(name) and name != current),
        reverse=True,
    )
    return sorted(older[keep:])


def _remote(settings: DeploySettings, ssh: str, script: tuple[str, ...], *args: str):
    # ssh hands the server one command line, which the login shell parses: quote it all.
    command = shlex.join(["sh", "-c", "; ".join(script), "bantin-publish", *args])
    return (ssh, *ssh_options(settings), settings.host, command)


def run_command(
    argv: tuple[str, ...],
    failure: str,
    *,
    stdin: str | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """The standard output of argv, or a DeployError that starts with failure."""
    return command_output(
        subprocess.run(argv, input=stdin, env=env, capture_output=True, text=True, check=False),
        failure,
    )


def command_output(result: subprocess.CompletedProcess, failure: str) -> str:
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise DeployError(f"{failure} (exit status {result.returncode}):\n{detail}")
    return result.stdout


def _server_state(output: str) -> _ServerState:
    current, releases, incoming = None, [], False
    for line in output.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "current":
            current = PurePosixPath(rest).name
        elif kind == "release":
            releases.append(rest)
        elif kind == "incoming":
            incoming = True
    return _ServerState(current, tuple(releases), incoming)


def built_site(site: Path) -> Path:
    """site, once checked to hold a build; a DeployError otherwise."""
    site = Path(site)
    if not (site / "index.html").is_file():
        raise DeployError(f"{site} holds no built site (it has no index.html)")
    return site


def _stat(stats: str, label: str) -> int | None:
    match = re.search(rf"^{re.escape(label)}: (\d+)", stats, re.MULTILINE)
    return int(match.group(1)) if match else None


def deploy(
    site: Path,
    settings: DeploySettings,
    *,
    dry_run: bool = False,
    release: str | None = None,
    say: Callable[[str], object] = print,
) -> Deployment:
    """Upload the built site in ``site`` as a new release and make it the live one
    (with dry_run, only look at the server and return the steps a publish would run)."""
    site = built_site(site)
    tools = local_tools()
    ssh = tools["ssh"]
    release = release or new_release_name()
    if not RELEASE_NAME.fullmatch(release):
        raise DeployError(f"{release!r} is not a release name like {new_release_name()}")
    root = settings.path

    look = _remote(settings, ssh, _STATE if dry_run else _PREPARE, root)
    say(f"Connecting to {settings.destination}…")
    state = _server_state(run_command(look, f"Could not reach {settings.destination}"))
    if state.current is not None and state.current not in state.releases:
        raise DeployError(
            f"{root}/{CURRENT} points to {state.current}, which is not in {root}/{RELEASES}/: "
            "point it at a release, or move it away, before publishing"
        )

    rsh = shlex.join([ssh, *ssh_options(settings)])
    link_dest = [f"--link-dest={root}/{RELEASES}/{state.current}"] if state.current else []
    upload = Step(
        f"upload {site} into {root}/{INCOMING}/"
        + (f", hard-linking files unchanged since {state.current}" if state.current else "")
        + (" (continuing the upload that was cut off)" if state.incoming else ""),
        (
            tools["rsync"],
            *_RSYNC_OPTIONS,
            *link_dest,
            "--rsh",
            rsh,
            f"{site}/",
            f"{settings.destination}/{INCOMING}/",
        ),
    )
    switch = Step(
        f"make it {RELEASES}/{release} and switch {CURRENT} to it in one rename",
        _remote(settings, ssh, _SWITCH, root, release),
    )
    pruned = releases_to_prune([*state.releases, release], release, settings.keep)
    steps = [upload, switch]
    if pruned:
        steps.append(
            Step(
                f"delete the releases beyond DEPLOY_KEEP={settings.keep}",
                _remote(settings, ssh, _PRUNE, root, *pruned),
            )
        )
    deployment = Deployment(
        destination=settings.destination,
        release=release,
        previous=state.current,
        pruned=tuple(pruned),
        steps=tuple(steps),
        dry_run=dry_run,
    )
    if dry_run:
        return deployment

    say(f"Uploading {site} to {settings.destination}/{INCOMING}/…")
    stats = run_command(
        upload.argv,
        f"The upload failed; {CURRENT} was not changed, and the next publish continues "
        f"from what reached {root}/{INCOMING}/",
    )
    run_command(switch.argv, f"The upload finished but the switch failed; {CURRENT} is as it was")
    if pruned:
        try:
            run_command(steps[2].argv, "Deleting the old releases failed")
        except DeployError as error:
            # The new release is live: a publish that succeeded is not reported as failed.
            say(f"Warning: {error}")
            pruned = []
    return replace(
        deployment,
        pruned=tuple(pruned),
        files_sent=_stat(stats, "Number of regular files transferred"),
        bytes_sent=_stat(stats, "Total transferred file size"),
    )


def publish_site(
    settings_file: Path,
    output: Path,
    overrides: dict | None = None,
    *,
    dry_run: bool = False,
    environ: Mapping[str, str] | None = None,
    say: Callable[[str], object] = print,
) -> "Deployment | StoreDeployment":
    """Build the site with settings_file into output, then deploy it to DEPLOY_TARGET.

    The DEPLOY_* settings (BANTIN_DEPLOY_* in environ, os.environ by default, win), the
    store's credentials and the local tools are checked before building. A build that
    fails raises bantin.build.BuildFailed and nothing is deployed: not even the previous
    build that ``output`` may still hold.
    """
    environ = os.environ if environ is None else environ
    settings = load_settings(settings_file, overrides)
    if deploy_target(settings, environ) == "s3":
        # Imported here: publish_s3 builds on this module's types and commands.
        from bantin.publish_s3 import StoreSettings, deploy_to_store, rclone_path

        upload = partial(deploy_to_store, settings=StoreSettings.from_settings(settings, environ))
        rclone_path()
    else:
        upload = partial(deploy, settings=DeploySettings.from_settings(settings, environ))
        local_tools()
    site = build(settings_file, output, overrides)
    return upload(site, dry_run=dry_run, say=say)

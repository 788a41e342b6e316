"""Publishing: the public build deployed over SSH with rsync, and switched in atomically.

Everything runs for real: Debian's OpenSSH server, started by these tests on 127.0.0.1
with a host key and authorised keys of their own, and rsync. The server's folders are
in tmp, so the tests read them as the web server would.
"""

import itertools
import os
import shlex
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bantin.build import BuildFailed, load_settings
from bantin.publish import (
    DeployError,
    DeploySettings,
    DeploySettingsError,
    deploy,
    local_tools,
    publish_site,
)
from tests.support.publishing import PUBLISH_SETTINGS, Builds, quiet
from tests.support.server import fetch, static_server, wait_until_ready
from tests.support.sites import Site
from tests.support.trees import inodes, tree

SSHD = "/usr/sbin/sshd"
NO_ENVIRONMENT: dict[str, str] = {}  # the tester's BANTIN_DEPLOY_* must not leak in

# Releases named in order, so a test knows which is the newest.
FIRST, SECOND, THIRD = (f"2026010{day}T090000.000000Z" for day in (1, 2, 3))

# The client of a link that drops: an rsync upload gets the first LIMIT bytes (read
# from a file, so each test sets its own), then the connection is cut. Anything else
# runs as it would. (Not `head -c`: its buffered output would stall rsync's handshake.)
CUT_OFF_LINK = """#!/bin/sh
case "$SSH_ORIGINAL_COMMAND" in
  "rsync --server"*) {python} -c '
import os, sys
left = int(sys.argv[1])
while left > 0:
    data = os.read(0, min(left, 65536))
    if not data:
        break
    os.write(1, data)
    left -= len(data)
' "$(cat {limit})" | sh -c "$SSH_ORIGINAL_COMMAND" ;;
  *) exec sh -c "$SSH_ORIGINAL_COMMAND" ;;
esac
"""


def _keygen(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", path.name, "-f", str(path)],
        check=True,
    )
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SshServer:
    port: int
    known_hosts: Path
    key: Path  # logs in as usual
    cut_off_key: Path  # logs in through a link that cuts uploads off
    cut_off_limit: Path

    def settings(self, path: Path, *, key: Path | None = None, keep: int = 5) -> DeploySettings:
        raw = {
            "DEPLOY_HOST": "127.0.0.1",
            "DEPLOY_PATH": str(path),
            "DEPLOY_PORT": self.port,
            "DEPLOY_SSH_KEY": str(key or self.key),
            "DEPLOY_KEEP": keep,
            "DEPLOY_KNOWN_HOSTS": str(self.known_hosts),
        }
        return DeploySettings.from_settings(raw, NO_ENVIRONMENT)


@pytest.fixture(scope="module")
def ssh_server(tmp_path_factory) -> Iterator[SshServer]:
    """A private sshd on a free loopback port, as the current user, for this module."""
    missing = [tool for tool in (SSHD, "rsync", "ssh", "ssh-keygen") if not shutil.which(tool)]
    if missing:
        pytest.fail(
            f"Missing {', '.join(missing)} (Debian's openssh-server, rsync, openssh-client): "
            "./dev test installs them.",
            pytrace=False,
        )
    folder = tmp_path_factory.mktemp("sshd")
    # Keys under a folder with a space: the deploy must pass paths as single arguments.
    keys = folder / "client keys"
    key, cut_off_key = _keygen(keys / "deploy"), _keygen(keys / "cut-off")
    host_key = _keygen(folder / "host_key")
    limit = folder / "cut-off-limit"
    limit.write_text("0")
    link = folder / "cut-off-link"
    link.write_text(
        CUT_OFF_LINK.format(python=shlex.quote(sys.executable), limit=shlex.quote(str(limit)))
    )
    link.chmod(0o755)
    authorized = folder / "authorized_keys"
    authorized.write_text(
        key.with_suffix(".pub").read_text()
        + f'command="{link}",no-pty '
        + cut_off_key.with_suffix(".pub").read_text()
    )
    port = _free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {host_key}\n"
        f"AuthorizedKeysFile {authorized}\nPidFile {folder / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PermitRootLogin prohibit-password\nUsePAM no\nStrictModes no\n"
    )
    known_hosts = folder / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} {host_key.with_suffix('.pub').read_text()}")
    Path("/run/sshd").mkdir(parents=True, exist_ok=True)  # sshd's privilege separation
    log = (folder / "sshd.log").open("w")
    server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log)
    try:
        wait_until_ready(
            server, folder / "sshd.log", f"sshd on port {port}", lambda: _listening(port)
        )
        yield SshServer(port, known_hosts, key, cut_off_key, limit)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _listening(port: int) -> bool | None:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return None
    return True


def releases(server_path: Path) -> list[str]:
    return sorted(path.name for path in (server_path / "releases").iterdir())


def test_first_publish_builds_the_public_site_and_makes_it_current(tmp_path, ssh_server):
    site = Site(tmp_path / "project")
    site.article("2020-12-25-hoi-nghi", title="Hội nghị tổng kết", slug="hoi-nghi-tong-ket")
    site.article("2021-01-05-nhap", title="Bài còn nháp", slug="bai-con-nhap", status="draft")
    server_path = tmp_path / "srv" / "bantin"
    settings = ssh_server.settings(server_path)
    overrides = site.overrides(deploy_overrides(settings))
    output = tmp_path / "project" / "output-public"

    deployment = publish_site(
        PUBLISH_SETTINGS, output, overrides, environ=NO_ENVIRONMENT, say=quiet
    )

    assert releases(server_path) == [deployment.release]
    assert os.readlink(server_path / "current") == f"releases/{deployment.release}"
    assert tree(server_path / "current") == tree(output)
    assert not (server_path / "incoming").exists()
    site_url = load_settings(PUBLISH_SETTINGS)["SITEURL"]
    with static_server(server_path / "current") as url:
        assert "bai-con-nhap" not in fetch(f"{url}/").text
        feed = fetch(f"{url}/atom.xml")
    assert feed.status == 200
    assert f'href="{site_url}/2020/12/25/hoi-nghi-tong-ket/"' in feed.text
    assert not any("bai-con-nhap" in name for name in tree(output))


def test_next_publish_switches_current_and_hard_links_unchanged_files(tmp_path, ssh_server, builds):
    server_path = tmp_path / "srv"
    settings = ssh_server.settings(server_path)
    deploy(builds.old, settings, release=FIRST, say=quiet)

    deployment = deploy(builds.new, settings, release=SECOND, say=quiet)

    assert os.readlink(server_path / "current") == f"releases/{SECOND}"
    assert deployment.previous == FIRST
    assert tree(server_path / "current") == tree(builds.new)
    first, second = server_path / "releases" / FIRST, server_path / "releases" / SECOND
    assert tree(first) == tree(builds.old)  # kept, for a rollback
    old_files, new_files = tree(builds.old), tree(builds.new)
    unchanged = {name for name, data in new_files.items() if old_files.get(name) == data}
    assert any(name.startswith("theme/") for name in unchanged)
    assert any(name.startswith("anh/2021/hoi-thao/") for name in unchanged)
    first_inodes, second_inodes = inodes(first), inodes(second)
    for name in new_files:
        same_file = first_inodes.get(name) == second_inodes[name]
        assert same_file == (name in unchanged), name
    assert deployment.files_sent == len(new_files) - len(unchanged)


def _publish_cut_off(server_path: Path, ssh_server: SshServer, builds: Builds) -> None:
    """Publish the new site over a link that drops halfway through what it must send."""
    old_files, new_files = tree(builds.old), tree(builds.new)
    to_send = sum(len(data) for name, data in new_files.items() if old_files.get(name) != data)
    ssh_server.cut_off_limit.write_text(str(to_send // 2))
    cut_off = ssh_server.settings(server_path, key=ssh_server.cut_off_key)
    with pytest.raises(DeployError, match="current was not changed"):
        deploy(builds.new, cut_off, release=SECOND, say=quiet)


def test_upload_cut_off_midway_leaves_the_live_site_untouched(tmp_path, ssh_server, builds):
    server_path = tmp_path / "srv"
    deploy(builds.old, ssh_server.settings(server_path), release=FIRST, say=quiet)
    with static_server(server_path / "current") as url:
        home_before = fetch(f"{url}/").text

        _publish_cut_off(server_path, ssh_server, builds)

        home_after = fetch(f"{url}/")
    assert home_after.status == 200
    assert home_after.text == home_before
    assert os.readlink(server_path / "current") == f"releases/{FIRST}"
    assert releases(server_path) == [FIRST]
    assert tree(server_path / "current") == tree(builds.old)
    # The upload really was cut off midway: some of the new files arrived, not all.
    old_files, new_files = tree(builds.old), tree(builds.new)
    arrived = tree(server_path / "incoming")
    assert any(arrived.get(name) == data != old_files.get(name) for name, data in new_files.items())
    assert any(name not in arrived for name in new_files)


def test_publish_after_a_cut_off_upload_reuses_what_arrived(tmp_path, ssh_server, builds):
    server_path = tmp_path / "srv"
    deploy(builds.old, ssh_server.settings(server_path), release=FIRST, say=quiet)
    _publish_cut_off(server_path, ssh_server, builds)
    new_files = tree(builds.new)
    arrived = tree(server_path / "incoming")
    complete = {name for name, data in arrived.items() if new_files.get(name) == data}
    arrived_inodes = inodes(server_path / "incoming")

    deploy(builds.new, ssh_server.settings(server_path), release=THIRD, say=quiet)

    assert os.readlink(server_path / "current") == f"releases/{THIRD}"
    assert tree(server_path / "current") == new_files  # nothing left from the cut-off run
    assert not (server_path / "incoming").exists()
    release_inodes = inodes(server_path / "releases" / THIRD)
    assert complete
    assert all(release_inodes[name] == arrived_inodes[name] for name in complete)


def test_a_visitor_sees_the_old_site_or_the_new_one_whole_never_a_mix(tmp_path, ssh_server, builds):
    server_path = tmp_path / "srv"
    settings = ssh_server.settings(server_path)
    deploy(builds.old, settings, release=FIRST, say=quiet)
    sites = {FIRST: tree(builds.old), SECOND: tree(builds.new)}
    seen: list[tuple[str, bool]] = []  # (the release `current` led to, was it that whole site)
    publishing = threading.Event()

    def visit() -> None:
        # Like a web server: resolve the document root, then read from what it resolved to.
        while True:
            done = not publishing.is_set()
            try:
                release = Path(os.readlink(server_path / "current")).name
                seen.append((release, tree(server_path / "releases" / release) == sites[release]))
            except (OSError, KeyError) as error:
                seen.append((repr(error), False))
            if done:
                return

    publishing.set()
    visitor = threading.Thread(target=visit)
    visitor.start()
    try:
        deploy(builds.new, settings, release=SECOND, say=quiet)
    finally:
        publishing.clear()
        visitor.join()

    assert all(whole for _, whole in seen), seen
    # Old, old, …, new, new: never back, never anything else.
    assert [release for release, _ in itertools.groupby(r for r, _ in seen)] == [FIRST, SECOND]


def test_old_releases_beyond_deploy_keep_are_deleted(tmp_path, ssh_server, builds):
    server_path = tmp_path / "srv"
    settings = ssh_server.settings(server_path, keep=1)
    deploy(builds.old, settings, release=FIRST, say=quiet)
    deploy(builds.new, settings, release=SECOND, say=quiet)
    (server_path / "releases" / "kept-by-hand").mkdir()

    deployment = deploy(builds.old, settings, release=THIRD, say=quiet)

    assert deployment.pruned == (FIRST,)
    assert releases(server_path) == [SECOND, THIRD, "kept-by-hand"]
    assert os.readlink(server_path / "current") == f"releases/{THIRD}"
    assert tree(server_path / "current") == tree(builds.old)


def test_publish_refuses_a_failed_build(tmp_path, ssh_server, builds):
    server_path = tmp_path / "srv"
    settings = ssh_server.settings(server_path)
    deploy(builds.old, settings, release=FIRST, say=quiet)
    site = Site(tmp_path / "project")
    site.article("2020-12-25-hoi-nghi", title="Hội nghị tổng kết", slug="hoi-nghi-tong-ket")
    site.article("2021-01-05-loi", title="Bài thiếu ngày", date=None)
    output = tmp_path / "project" / "output-public"
    shutil.copytree(builds.new, output)  # an earlier successful build, never to be sent
    overrides = site.overrides(deploy_overrides(settings))

    with pytest.raises(BuildFailed):
        publish_site(PUBLISH_SETTINGS, output, overrides, environ=NO_ENVIRONMENT, say=quiet)

    assert releases(server_path) == [FIRST]
    assert os.readlink(server_path / "current") == f"releases/{FIRST}"
    assert not (server_path / "incoming").exists()


def test_dry_run_shows_the_commands_and_changes_nothing(tmp_path, ssh_server, builds):
    server_path = tmp_path / "srv"
    settings = ssh_server.settings(server_path, keep=1)
    deploy(builds.old, settings, release=FIRST, say=quiet)
    deploy(builds.old, settings, release=SECOND, say=quiet)
    before = {name: inodes(server_path / "releases" / name) for name in releases(server_path)}

    deployment = deploy(builds.new, settings, release=THIRD, dry_run=True, say=quiet)

    after = {name: inodes(server_path / "releases" / name) for name in releases(server_path)}
    assert after == before
    assert os.readlink(server_path / "current") == f"releases/{SECOND}"
    assert not (server_path / "incoming").exists()
    report = deployment.report()
    assert report.startswith("Dry run: nothing was changed")
    assert f"--link-dest={server_path}/releases/{SECOND}" in report
    assert f"127.0.0.1:{server_path}/incoming/" in report
    assert "delete the releases beyond DEPLOY_KEEP=1" in report and FIRST in report


def test_an_unknown_server_key_stops_the_publish(tmp_path, ssh_server, builds):
    server_path = tmp_path / "srv"
    impostor = _keygen(tmp_path / "impostor")
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(
        f"[127.0.0.1]:{ssh_server.port} {impostor.with_suffix('.pub').read_text()}"
    )
    settings = replace(ssh_server.settings(server_path), known_hosts=known_hosts)

    with pytest.raises(DeployError, match="Host key verification failed"):
        deploy(builds.old, settings, say=quiet)

    assert not server_path.exists()


@pytest.mark.parametrize(
    ("deploy_settings", "environ", "message"),
    [
        ({"DEPLOY_HOST": ""}, {}, "DEPLOY_HOST is not set"),
        ({"DEPLOY_HOST": "web1.example.vn:2222"}, {}, "DEPLOY_HOST is 'web1.example.vn:2222'"),
        ({"DEPLOY_HOST": "-oProxyCommand=sh"}, {}, "DEPLOY_HOST is '-oProxyCommand=sh'"),
        ({"DEPLOY_PATH": "srv/bantin"}, {}, "DEPLOY_PATH is 'srv/bantin'; expected an absolute"),
        ({"DEPLOY_PATH": "/"}, {}, "DEPLOY_PATH is '/'; expected a folder of its own"),
        ({"DEPLOY_PATH": "/srv/$(reboot)"}, {}, "DEPLOY_PATH is '/srv/$(reboot)'"),
        ({"DEPLOY_PATH": "/srv/../etc"}, {}, "DEPLOY_PATH is '/srv/../etc'"),
        (
            {},
            {"BANTIN_DEPLOY_PORT": "ssh"},
            "DEPLOY_PORT (from BANTIN_DEPLOY_PORT in the environment) is 'ssh'",
        ),
        ({"DEPLOY_KEEP": 0}, {}, "DEPLOY_KEEP is 0; expected a whole number 1 or more"),
        ({"DEPLOY_HOST_KEY_CHECKING": "no"}, {}, "DEPLOY_HOST_KEY_CHECKING is 'no'"),
        ({"DEPLOY_SSH_KEY": "/nowhere/key"}, {}, "DEPLOY_SSH_KEY is '/nowhere/key', which is not"),
    ],
)
def test_a_wrong_deploy_setting_is_named_in_the_error(deploy_settings, environ, message):
    settings = load_settings(
        PUBLISH_SETTINGS, {"DEPLOY_HOST": "bantin@web1.example.vn", **deploy_settings}
    )
    with pytest.raises(DeploySettingsError) as error:
        DeploySettings.from_settings(settings, environ)
    assert message in str(error.value)


def test_deploy_settings_come_from_publishconf_and_the_environment_wins():
    settings = load_settings(PUBLISH_SETTINGS, {"DEPLOY_HOST": "bantin@web1.example.vn"})
    environ = {"BANTIN_DEPLOY_PATH": "/var/www/bantin", "BANTIN_DEPLOY_KEEP": "2"}

    deploy_settings = DeploySettings.from_settings(settings, environ)

    assert deploy_settings.destination == "bantin@web1.example.vn:/var/www/bantin"
    assert (deploy_settings.port, deploy_settings.keep) == (22, 2)
    assert deploy_settings.host_key_checking == "yes"


def test_missing_ssh_or_rsync_is_named_with_its_debian_package(tmp_path):
    with pytest.raises(DeployError) as error:
        local_tools(search_path=str(tmp_path))
    assert "ssh and rsync not found" in str(error.value)
    assert "apt-get install openssh-client rsync" in str(error.value)


def deploy_overrides(settings) -> dict:
    """The DEPLOY_* settings that point a publish at the test's sshd."""
    return {
        "DEPLOY_HOST": settings.host,
        "DEPLOY_PATH": settings.path,
        "DEPLOY_PORT": settings.port,
        "DEPLOY_SSH_KEY": str(settings.ssh_key),
        "DEPLOY_KNOWN_HOSTS": str(settings.known_hosts),
    }

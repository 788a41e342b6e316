"""The real checkers, run the way the tests need them: the Nu Html Checker and axe-core."""

import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

from bantin.toolchain import ToolchainError, axe_js, vnu_jar

REPO_ROOT = Path(__file__).resolve().parents[2]

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")

_RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations;
}
"""


def axe_violations(page, *, tags: Sequence[str] = AXE_TAGS) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations.

    The page's context must have been opened with ``bypass_csp=True``: the site's
    Content-Security-Policy forbids the injected script, as it should.
    """
    page.add_script_tag(path=str(axe_js(REPO_ROOT)))
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        raise RuntimeError(
            f"axe-core did not load in {page.url}: the page's Content-Security-Policy "
            "probably blocked it; open the page with bypass_csp=True."
        )
    return page.evaluate(_RUN_AXE, list(tags))


def format_violations(violations: Iterable[dict], *, targets_shown: int = 3) -> str:
    """axe violations as lines a failing assertion can show."""
    lines = []
    for violation in violations:
        nodes = violation.get("nodes", [])
        targets = [_target(node.get("target", [])) for node in nodes[:targets_shown]]
        more = f" (+{len(nodes) - targets_shown} more)" if len(nodes) > targets_shown else ""
        lines.append(
            f"- {violation['id']} [{violation.get('impact')}]: {violation.get('help')}\n"
            f"    at {', '.join(targets)}{more}"
        )
    return "\n".join(lines) or "no violations"


def _target(selectors: list) -> str:
    # Elements inside iframes or shadow roots have one selector per level, and
    # a shadow level is itself a list.
    return " >> ".join(
        " ".join(part) if isinstance(part, list) else str(part) for part in selectors
    )


def vnu_errors(paths: Iterable[Path]) -> list[str]:
    """Errors the Nu Html Checker finds in ``paths`` (HTML files or folders of them).

    Raises if the checker cannot run: an empty list always means it checked and
    found nothing.
    """
    paths = [Path(path).resolve() for path in paths]
    if not paths:
        raise ValueError("vnu_errors needs at least one file or folder to check")
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"nothing to check at {path}")
        # An empty or misnamed output folder would otherwise pass as "no errors".
        if path.is_dir() and next(path.rglob("*.html"), None) is None:
            raise FileNotFoundError(f"no .html file under {path}")
    java = shutil.which("java")
    if java is None:
        raise ToolchainError("java is missing: the Nu Html Checker needs Java 11 or newer")
    command = [
        java,
        "-jar",
        str(vnu_jar(REPO_ROOT)),
        "--errors-only",
        "--skip-non-html",
        "--format",
        "json",
        *map(str, paths),
    ]
    # Java decodes file names with the locale's charset; under a bare C locale it
    # cannot open a file whose name has a Vietnamese letter in it.
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    result = subprocess.run(command, capture_output=True, env=env, timeout=600, check=False)
    report = result.stderr.decode("utf-8", errors="replace")
    try:
        messages = json.loads(report)["messages"]
    except (json.JSONDecodeError, KeyError, TypeError):
        raise RuntimeError(
            f"the Nu Html Checker did not report (exit {result.returncode}):\n{report}"
        ) from None
    errors = [_describe(message, paths) for message in messages if message["type"] != "info"]
    if result.returncode not in (0, 1) or (result.returncode == 1 and not errors):
        raise RuntimeError(f"the Nu Html Checker failed (exit {result.returncode}):\n{report}")
    return errors


def _describe(message: dict, checked: list[Path]) -> str:
    url = message.get("url", "")
    where = Path(unquote(urlparse(url).path)) if url.startswith("file:") else Path(url)
    # Named from the parent of what was checked: "output/news/index.html", "page.html".
    for base in checked:
        if where.is_relative_to(base):
            where = where.relative_to(base.parent)
            break
    line = message.get("lastLine", message.get("firstLine", "?"))
    return f"{where}:{line}: {message['message']}"

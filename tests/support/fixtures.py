"""Fixtures shared by every feature's tests; load with pytest_plugins = ["tests.support.fixtures"].

The checkers are required: a machine without them fails the suite with the reason
(./dev test installs them), it never skips what it could not check.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bantin.toolchain import CHROMIUM, CHROMIUM_ARGS, problems_with_test_tools
from tests.support.publishing import Builds, day_of_work

REPO_ROOT = Path(__file__).resolve().parents[2]

PHONE_WIDTH = 375
DESKTOP_WIDTH = 1280


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def checkers_ready(repo_root: Path) -> None:
    """Fails, with what is missing and how to get it, unless every checker can run."""
    problems = problems_with_test_tools(repo_root)
    if problems:
        pytest.fail(
            "The test suite's checkers are missing (./dev test installs them):\n  "
            + "\n  ".join(problems),
            pytrace=False,
        )


@pytest.fixture(scope="session")
def browser(checkers_ready: None) -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, shared by the whole session."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=list(CHROMIUM_ARGS), headless=True
        )
        yield chromium
        chromium.close()


PageFactory = Callable[..., Page]


@pytest.fixture
def page_factory(browser: Browser) -> Iterator[PageFactory]:
    """``new_page(width=1280, *, height=800, bypass_csp=False) -> Page``, each in its own context.

    Only axe checks should ask for ``bypass_csp``: every other test must meet the
    site's real Content-Security-Policy.
    """
    contexts = []

    def new_page(
        width: int = DESKTOP_WIDTH, *, height: int = 800, bypass_csp: bool = False
    ) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            bypass_csp=bypass_csp,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(page_factory: PageFactory) -> Page:
    """A desktop-width page that sees the site's real Content-Security-Policy."""
    return page_factory()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample bulletin (the repository's content/) built once for the session."""
    from bantin.build import build

    output = tmp_path_factory.mktemp("sample") / "output"
    return build(REPO_ROOT / "pelicanconf.py", output, {"OUTPUT_PATH": str(output)})


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Builds:
    """The publishing tests' two builds of one site, a day's work apart."""
    return day_of_work(tmp_path_factory.mktemp("site"))

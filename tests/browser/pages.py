"""What the browser tests share: links from the outbox, screenshots, and the accessibility check."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from pathlib import Path

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def read_links(outbox: Path, kind: str) -> dict[str, str]:
    """Each person's personal link of `kind` ("f" member form, "r" reviewer page), as the email they got shows it."""
    found = {}
    for path in sorted(outbox.glob("*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        match = re.search(rf"http://\S+/{kind}/[\w-]+", message.get_body(preferencelist=("plain",)).get_content())
        if match:
            found[message["To"].addresses[0].addr_spec.lower()] = match.group(0)
    return found


def snap(page, folder: Path, name: str) -> Path:
    """A full-page screenshot, kept for people to look at after the run."""
    path = folder / f"{len(list(folder.glob('*.png'))) + 1:02d}-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    # Evaluated through the DevTools protocol, so the page's strict CSP stays on for everything else.
    result = page.evaluate("async () => {" + AXE.read_text() + "\nreturn await axe.run(document, "
                           "{resultTypes: ['violations']});}")
    return [f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in BLOCKING]

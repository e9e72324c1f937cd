"""Posting a form as a browser does: open the page, then send what was typed with the form's hidden token."""

from scr.demo.people import with_form_token


def submit(client, url: str, fields: dict | None = None, page: str | None = None, **options):
    """`client` is httpx (the module or a Client) or a TestClient; `page` is where the form is, if not `url`."""
    opened = client.get(page or url, **{k: v for k, v in options.items() if k != "follow_redirects"})
    return client.post(url, data=with_form_token(opened.text, fields or {}), **options)

"""Gmail v1: users.messages.send with a base64url RFC 5322 message in `raw`.

Whether Gmail keeps the Message-ID header the sender set is not documented: ``State.behaviours`` chooses.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
from typing import Any

from .errors import invalid
from .state import Call


def send(call: Call) -> dict[str, Any]:
    raw = (call.body or {}).get("raw")
    if not raw:
        raise invalid("Recipient address required", reason="invalidArgument")
    try:
        data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        raise invalid("Invalid value for ByteString: raw") from None
    message = email.message_from_bytes(data, policy=email.policy.default)
    recipients = [a for h in ("To", "Cc", "Bcc") for a in _addresses(message, h)]
    if not recipients:
        raise invalid("Recipient address required", reason="invalidArgument")
    state = call.state
    message_id = state.new_id("m")
    if state.behaviours.gmail_message_id == "replaced":  # Gmail may set its own Message-ID: not documented
        del message["Message-ID"]
        message["Message-ID"] = f"<{message_id}@mail.gmail.com>"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    state.sent.append(
        {
            "id": message_id,
            "userId": call.param("userId"),
            "from": str(message.get("From", "")),
            "to": _addresses(message, "To"),
            "cc": _addresses(message, "Cc"),
            "bcc": _addresses(message, "Bcc"),
            "subject": str(message.get("Subject", "")),
            "text": text.get_content() if text is not None else "",
            "html": html.get_content() if html is not None else "",
            "attachments": [part.get_filename() for part in message.iter_attachments()],
            "message": message,
            "raw": data,
        }
    )
    return {"id": message_id, "threadId": (call.body or {}).get("threadId") or message_id, "labelIds": ["SENT"]}


def _addresses(message: email.message.EmailMessage, header: str) -> list[str]:
    value = message.get(header)
    if value is None:
        return []
    return [address.addr_spec for address in value.addresses]


HANDLERS = {"gmail.users.messages.send": send}

"""A read-only web page over the SMTP sink's mails, so a person can read what was sent."""

import html
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cq_devstack.smtp_sink import SmtpSink


class _Handler(BaseHTTPRequestHandler):
    def __init__(self, sink: SmtpSink, *args: Any, **kwargs: Any) -> None:
        self.sink = sink
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        rows = []
        for message in reversed(self.sink.messages()):
            body = message.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            rows.append(
                "<article><h3>{subject}</h3><p><b>To:</b> {to} · <b>Language:</b> {lang} · "
                "<b>Date:</b> {date}</p><pre>{text}</pre></article>".format(
                    subject=html.escape(str(message["Subject"])),
                    to=html.escape(str(message["To"])),
                    lang=html.escape(str(message.get("Content-Language", "?"))),
                    date=html.escape(str(message["Date"])),
                    text=html.escape(str(text)),
                )
            )
        page = (
            "<!doctype html><meta charset=utf-8><title>CareQuartier mails</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
            "article{border-bottom:1px solid #ccc}pre{white-space:pre-wrap}</style>"
            f"<h1>Mails sent by CareQuartier ({len(rows)})</h1>" + "".join(rows)
        )
        data = page.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return  # keep `make run`'s output for the services


def serve_mail_viewer(sink: SmtpSink, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_Handler, sink))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server

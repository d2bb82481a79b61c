"""What a browser sends when someone fills in a form and presses its button.

- ``form_fields``: the fields a browser submits from a form in a page, with
  the values that page gave them (hidden inputs, checked boxes, selected
  options, text), by the rules of HTML's form submission.
- ``multipart``: those fields encoded as ``multipart/form-data``, as a
  browser sends a form with ``enctype="multipart/form-data"``.
- ``Browser``: a cookie jar of its own, no JavaScript, Origin and Referer on
  every post, and each post made of the form of the page it loaded last.

Used by tests/steunpunt/test_proxy.py and tests/bench/bench_load.py.
"""

import http.cookiejar
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser

# Inputs whose value is typed or given by the page; buttons and file fields apart.
VALUE_INPUTS = {
    "hidden",
    "text",
    "search",
    "email",
    "tel",
    "url",
    "password",
    "number",
    "date",
    "time",
    "datetime-local",
    "month",
    "week",
    "color",
    "range",
}
FILE = object()  # a file field: sent as an empty file when nothing is chosen


@dataclass
class Form:
    """A POST form of a page: what a browser sends if nothing is changed."""

    form_id: str
    action: str  # as written in the page; "" is the page's own address
    enctype: str
    fields: list[tuple[str, object]] = field(default_factory=list)  # in the order sent
    hidden_at: list[int] = field(default_factory=list)  # which fields are hidden inputs
    submitter: tuple[str, str] | None = None  # the first named submit button

    def filled(self, **typed: str) -> list[tuple[str, object]]:
        """The fields with what the visitor typed or chose instead of the page's values,
        sent by pressing the form's (first) button."""
        missing = set(typed) - {name for name, _ in self.fields}
        if missing:
            raise AssertionError(f"the form has no field {sorted(missing)}")
        fields = [(name, typed.get(name, value)) for name, value in self.fields]
        return fields + ([self.submitter] if self.submitter else [])


@dataclass
class _Select:
    name: str
    multiple: bool
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)


class _FormParser(HTMLParser):
    """The POST forms of a page with their controls, by HTML's rules for submitting."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: tuple[str, list[str]] | None = None
        self.select: _Select | None = None
        self.option: tuple[str | None, bool, list[str]] | None = None  # value, selected, text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                enctype = (a.get("enctype") or "application/x-www-form-urlencoded").lower()
                self.form = Form(a.get("id", ""), a.get("action", ""), enctype)
                self.forms.append(self.form)
            return
        form = self.form
        if form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in VALUE_INPUTS:
                if kind == "hidden":
                    form.hidden_at.append(len(form.fields))
                form.fields.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio") and "checked" in a:
                form.fields.append((name, a.get("value", "on")))
            elif kind == "file":
                form.fields.append((name, FILE))
            elif kind in ("submit", "image") and form.submitter is None:
                form.submitter = (name, a.get("value", ""))
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            form.submitter = form.submitter or (name, a.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = (name, [])
        elif tag == "select" and name:
            self.select = _Select(name, "multiple" in a)
        elif tag == "option" and self.select:
            self._end_option()  # the end tag of an option may be left out
            self.option = (a.get("value"), "selected" in a, [])

    def _end_option(self) -> None:
        if self.select and self.option:
            value, selected, text = self.option
            self.select.options.append(
                (value if value is not None else "".join(text).strip(), selected)
            )
        self.option = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.textarea[1].append(data)
        elif self.option:
            self.option[2].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea and self.form:
            name, parts = self.textarea
            # The parser keeps the newline right after <textarea>; browsers drop it.
            text = "".join(parts).removeprefix("\n")
            self.form.fields.append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self.textarea = None
        elif tag in ("option", "optgroup"):
            self._end_option()
        elif tag == "select" and self.select and self.form:
            self._end_option()
            chosen = [value for value, selected in self.select.options if selected]
            if not chosen and not self.select.multiple and self.select.options:
                chosen = [self.select.options[0][0]]  # a browser shows (and sends) the first
            self.form.fields.extend((self.select.name, value) for value in chosen)
            self.select = None


def post_forms(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    parser.close()
    return parser.forms


def form_fields(page: str, form_id: str | None = None, *names: str) -> Form:
    """The POST form with id ``form_id``, or else the first that has fields ``names``:
    the one a visitor fills in."""
    forms = post_forms(page)
    for form in forms:
        has = {name for name, _ in form.fields}
        if (form.form_id == form_id) if form_id else set(names) <= has:
            return form
    there = ", ".join(f"#{f.form_id or '?'} -> {f.action or '(this page)'}" for f in forms)
    raise AssertionError(f"no POST form {form_id or sorted(names)} on the page; there are: {there}")


def urlencoded(fields: list[tuple[str, object]]) -> tuple[str, bytes]:
    pairs = [(name, "" if value is FILE else value) for name, value in fields]
    return "application/x-www-form-urlencoded", urllib.parse.urlencode(pairs).encode()


def encode(form: Form, fields: list[tuple[str, object]]) -> tuple[str, bytes]:
    """(Content-Type, body) as the form's enctype says."""
    if form.enctype == "multipart/form-data":
        return multipart(fields)
    return urlencoded(fields)


def multipart(fields: list[tuple[str, object]]) -> tuple[str, bytes]:
    """(Content-Type, body) of a multipart/form-data post, with a new boundary as browsers do."""
    boundary = "----SteunpuntFormBoundary" + secrets.token_hex(8)
    parts = []
    for name, value in fields:
        quoted = name.replace('"', "%22")
        if value is FILE:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{quoted}"; filename=""\r\n'
                "Content-Type: application/octet-stream\r\n\r\n\r\n"
            )
        else:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{quoted}"\r\n\r\n'
                f"{value}\r\n"
            )
    body = "".join(parts) + f"--{boundary}--\r\n"
    return f"multipart/form-data; boundary={boundary}", body.encode()


@dataclass
class Answer:
    status: int
    text: str
    headers: Message  # names are case-insensitive


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: a cookie jar of their own, no JavaScript, redirects shown as they are."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        self.page: Answer | None = None  # the page loaded last
        self.page_url = ""

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def _open(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, response.read().decode(), response.headers)
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(errors="replace"), error.headers)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        url = self.base_url + path
        answer = self._open(urllib.request.Request(url, headers=headers or {}))
        self.page, self.page_url = answer, url
        return answer

    def submit(self, form_id: str | None = None, **typed: str) -> Answer:
        """Fill in the form of the page loaded last and press its button."""
        assert self.page is not None, "load the page with the form first"
        form = form_fields(self.page.text, form_id, *typed)
        from tests.servers import with_puzzle_solved  # as the page's script does

        content_type, body = encode(form, with_puzzle_solved(form.filled(**typed)))
        request = urllib.request.Request(
            urllib.parse.urljoin(self.page_url, form.action),
            data=body,
            method="POST",
            headers={
                "Content-Type": content_type,
                "Origin": self.base_url,
                "Referer": self.page_url,
            },
        )
        return self._open(request)

"""A readable comparison of two versions of a working document.

What can be compared is text: a draft written in the portal (Markdown, one paragraph per line
of its source), and the paragraphs of a DOCX (``word/document.xml``) or an ODT (``content.xml``).
PDF, ODS and XLSX are not compared (``NotComparable``): the page offers both downloads instead.

The XML is parsed with ``defusedxml``, which refuses DTDs, entity declarations and external
references (no "billion laughs", no external entities). The archive was checked when uploaded
(``cms.uploads``: it declares at most ``MAX_UNCOMPRESSED`` once unpacked) and the part read here
is bounded again by ``MAX_PART_SIZE``; the texts compared are bounded by ``MAX_TEXT``, so that
``difflib``'s quadratic worst case stays small.

The result is a list of rows (``Row``), paragraph by paragraph: unchanged, added, removed, or
changed with word-level segments (``Segment``) that the template marks with ``<ins>``/``<del>``.
Long runs of unchanged paragraphs are folded to a few paragraphs of context around the changes.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.utils.translation import gettext as _

#: The largest XML part read from an archive, and the most text compared per version.
MAX_PART_SIZE = 50 * 1024 * 1024
MAX_TEXT = 1_000_000
#: Unchanged paragraphs kept around each change when a long unchanged run is folded.
CONTEXT = 2

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
#: The formats whose text is compared, and the part of the archive that holds it.
TEXT_PARTS = {DOCX: "word/document.xml", ODT: "content.xml"}


class NotComparable(Exception):
    """The version's text cannot be extracted; ``message`` says why, for the member."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Segment:
    """A run of words of a changed paragraph: ``op`` is ``same``, ``ins`` or ``del``."""

    op: str
    text: str


@dataclass
class Row:
    """One row of the comparison.

    ``kind``: ``same`` (``text``), ``added`` / ``removed`` (``text``), ``changed``
    (``segments``), or ``folded`` (``count`` unchanged paragraphs not shown).
    """

    kind: str
    text: str = ""
    segments: list[Segment] = field(default_factory=list)
    count: int = 0


@dataclass
class Comparison:
    rows: list[Row]
    added: int
    removed: int
    changed: int

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed)


# --- extracting the paragraphs ------------------------------------------------------------------


def _local(tag) -> str:
    """``{namespace}name`` → ``name`` (and ``prefix:name`` → ``name``)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


#: What an element stands for inside a paragraph, by its local name (ODT and DOCX).
_INLINE = {"tab": "\t", "line-break": " ", "br": " ", "cr": " ", "s": " "}
_PARAGRAPHS = {"p", "h"}
#: Never read: comments, tracked deletions, a field's code (DOCX: only ``w:t`` holds text).
_SKIP = {"annotation", "tracked-changes", "deleted", "del", "delText", "instrText"}


def _odt_text(element) -> str:
    parts = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name in _PARAGRAPHS or name in _SKIP:  # a nested paragraph is one of its own
            pass
        elif name == "s":
            parts.append(" " * max(1, _int(child.get(_attr(child, "c")), 1)))
        elif name in _INLINE:
            parts.append(_INLINE[name])
        else:
            parts.append(_odt_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _docx_text(element) -> str:
    parts = []
    for child in element:
        name = _local(child.tag)
        if name in _PARAGRAPHS or name in _SKIP:
            continue
        if name == "t":
            parts.append(child.text or "")
        elif name in _INLINE:
            parts.append(_INLINE[name])
        else:
            parts.append(_docx_text(child))
    return "".join(parts)


def _attr(element, local_name: str) -> str:
    for key in element.attrib:
        if _local(key) == local_name:
            return key
    return local_name


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _normalise(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def xml_paragraphs(xml: bytes, *, docx: bool) -> list[str]:
    """The non-empty paragraphs of a DOCX's ``word/document.xml`` or an ODT's ``content.xml``,
    in document order (a table's cells are paragraphs too)."""
    try:
        root = SafeElementTree.fromstring(xml)
    except (SafeElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise NotComparable(
            _("The text of this version cannot be read: the file looks damaged.")
        ) from error
    extract = _docx_text if docx else _odt_text
    found = []
    try:
        for element in _paragraph_elements(root):
            text = _normalise(extract(element))
            if text:
                found.append(text)
    except RecursionError as error:
        raise NotComparable(
            _("The text of this version cannot be read: the file looks damaged.")
        ) from error
    return found


def _paragraph_elements(root):
    """The paragraph elements below ``root`` in document order, outside skipped subtrees."""
    stack = [iter([root])]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        name = _local(element.tag)
        if name in _SKIP:
            continue
        if name in _PARAGRAPHS:
            yield element
        stack.append(iter(element))


def file_paragraphs(handle, media_type: str) -> list[str]:
    """The paragraphs of the DOCX or ODT file open in ``handle``."""
    part = TEXT_PARTS.get(media_type)
    if part is None:
        raise NotComparable(_("The comparison is not available for this format."))
    try:
        with zipfile.ZipFile(handle) as archive:
            info = archive.getinfo(part)
            if info.file_size > MAX_PART_SIZE:
                raise NotComparable(_("This version is too large to be compared."))
            xml = archive.read(info)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError) as error:
        raise NotComparable(
            _("The text of this version cannot be read: the file looks damaged.")
        ) from error
    return xml_paragraphs(xml, docx=media_type == DOCX)


def text_paragraphs(body: str) -> list[str]:
    """The paragraphs of a draft: the non-empty lines of its Markdown source."""
    return [
        line.rstrip() for line in (body or "").replace("\r\n", "\n").split("\n") if line.strip()
    ]


def comparable(version) -> bool:
    """Whether the text of ``version`` can be compared (a draft, a DOCX or an ODT)."""
    return not version.is_file or version.media_type in TEXT_PARTS


def paragraphs(version) -> list[str]:
    """The paragraphs of ``version`` (a ``DocumentVersion``); ``NotComparable`` otherwise."""
    if not version.is_file:
        found = text_paragraphs(version.body)
    else:
        if version.media_type not in TEXT_PARTS:
            raise NotComparable(_("The comparison is not available for this format."))
        try:
            handle = version.file.open("rb")
        except (FileNotFoundError, OSError) as error:
            raise NotComparable(_("The file of this version is missing.")) from error
        with handle:
            found = file_paragraphs(handle, version.media_type)
    if sum(len(p) for p in found) > MAX_TEXT:
        raise NotComparable(_("This version is too large to be compared."))
    return found


# --- comparing -----------------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def words(old: str, new: str) -> list[Segment]:
    """The word-level differences between two paragraphs."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    segments: list[Segment] = []

    def push(op, text):
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1].text += text
        else:
            segments.append(Segment(op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("same", "".join(a[i1:i2]))
        else:
            push("del", "".join(a[i1:i2]))
            push("ins", "".join(b[j1:j2]))
    return segments


def _similar(old: str, new: str) -> bool:
    """Whether two paragraphs are versions of one another (shown as one changed paragraph)."""
    return difflib.SequenceMatcher(None, old, new, autojunk=False).quick_ratio() >= 0.5


def compare(old: list[str], new: list[str], *, context: int = CONTEXT) -> Comparison:
    """The rows comparing paragraphs ``old`` with ``new``."""
    rows: list[Row] = []
    added = removed = changed = 0
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(Row("same", text=text) for text in old[i1:i2])
            continue
        before, after = old[i1:i2], new[j1:j2]
        for index in range(max(len(before), len(after))):
            a = before[index] if index < len(before) else None
            b = after[index] if index < len(after) else None
            if a is not None and b is not None and _similar(a, b):
                rows.append(Row("changed", segments=words(a, b)))
                changed += 1
                continue
            if a is not None:
                rows.append(Row("removed", text=a))
                removed += 1
            if b is not None:
                rows.append(Row("added", text=b))
                added += 1
    return Comparison(_fold(rows, context), added, removed, changed)


def _fold(rows: list[Row], context: int) -> list[Row]:
    """Long runs of unchanged paragraphs become one ``folded`` row, keeping ``context``
    paragraphs next to each change."""
    folded: list[Row] = []
    index = 0
    while index < len(rows):
        if rows[index].kind != "same":
            folded.append(rows[index])
            index += 1
            continue
        end = index
        while end < len(rows) and rows[end].kind == "same":
            end += 1
        run = rows[index:end]
        keep_before = context if index > 0 else 0
        keep_after = context if end < len(rows) else 0
        if len(run) > keep_before + keep_after + 1:
            folded.extend(run[:keep_before])
            folded.append(Row("folded", count=len(run) - keep_before - keep_after))
            folded.extend(run[len(run) - keep_after :] if keep_after else [])
        else:
            folded.extend(run)
        index = end
    return folded

"""PDF files for the demo: kit documents (A4 portrait) and webinar slides (A4 landscape).

Both are drawn with reportlab's built-in Helvetica (no font files needed) and with
``invariant=True``, so the same text always yields the same bytes.

A document is a dict (a table of demo/data/kit_documents.toml or private_documents.toml)::

    {
        "title": "…", "subtitle": "…", "series": "Kit documentali", "audience": "…",
        "sections": [{"heading": "…", "blocks": [["p", "…"], ["ul", [...]], …]}],
    }

Block kinds: ``p`` (paragraph), ``h3`` (sub-heading), ``ul`` and ``ol`` (lists),
``checklist`` (list with empty boxes to tick), ``table`` (first row is the header),
``note`` (a highlighted box). Text may use reportlab's inline tags (``<b>``, ``<i>``).
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

BLUE = colors.HexColor("#0066CC")
DARK = colors.HexColor("#17324D")
LIGHT = colors.HexColor("#E6F0FA")
GREY = colors.HexColor("#5C6F82")
PORTAL = "Community dei Comuni Digitali"
LICENCE = "Testo rilasciato con licenza Creative Commons CC BY 4.0"


def _styles():
    base = getSampleStyleSheet()
    return {
        "body": ParagraphStyle(
            "body",
            parent=base["BodyText"],
            fontName="Helvetica",
            fontSize=10.5,
            leading=15,
            spaceAfter=7,
            textColor=DARK,
            alignment=TA_LEFT,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName="Helvetica-Bold",
            fontSize=15,
            leading=19,
            spaceBefore=14,
            spaceAfter=8,
            textColor=BLUE,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base["Heading3"],
            fontName="Helvetica-Bold",
            fontSize=11.5,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
            textColor=DARK,
        ),
        "cell": ParagraphStyle(
            "cell",
            fontName="Helvetica",
            fontSize=9.5,
            leading=12.5,
            textColor=DARK,
        ),
        "cell_head": ParagraphStyle(
            "cell_head",
            fontName="Helvetica-Bold",
            fontSize=9.5,
            leading=12.5,
            textColor=colors.white,
        ),
        "note": ParagraphStyle(
            "note",
            fontName="Helvetica",
            fontSize=10,
            leading=14,
            textColor=DARK,
        ),
        "toc": ParagraphStyle(
            "toc",
            fontName="Helvetica",
            fontSize=11,
            leading=18,
            textColor=DARK,
        ),
    }


def _list(items, styles, ordered=False):
    return ListFlowable(
        [ListItem(Paragraph(item, styles["body"]), leftIndent=14) for item in items],
        bulletType="1" if ordered else "bullet",
        bulletFormat="%s." if ordered else None,
        start="1" if ordered else "•",
        leftIndent=14,
        bulletFontName="Helvetica",
        bulletFontSize=10 if ordered else 9,
        bulletColor=BLUE,
    )


def _checklist(items, styles):
    rows = [["", Paragraph(item, styles["cell"])] for item in items]
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#C5D0DB")),
    ]

    # Draw an empty box in the first column of every row.
    class _Boxes(Table):
        def draw(self):
            super().draw()
            for row in range(len(rows)):
                y = self._rowpositions[row] - 15
                self.canv.setStrokeColor(BLUE)
                self.canv.setLineWidth(1)
                self.canv.rect(5, y, 9, 9)

    boxed = _Boxes(rows, colWidths=[0.9 * cm, None])
    boxed.setStyle(TableStyle(commands))
    return boxed


def _table(data, styles):
    header, *body = data
    rows = [[Paragraph(cell, styles["cell_head"]) for cell in header]]
    rows += [[Paragraph(cell, styles["cell"]) for cell in row] for row in body]
    # Empty rows are for writing in: give them room.
    heights = [None] + [None if any(cell.strip() for cell in row) else 0.8 * cm for row in body]
    table = Table(rows, repeatRows=1, hAlign="LEFT", rowHeights=heights)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), BLUE),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, LIGHT]),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#C5D0DB")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _note(text, styles):
    table = Table([[Paragraph(text, styles["note"])]], colWidths=["100%"])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, BLUE),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def _flowables(block, styles):
    kind, value = block
    if kind == "p":
        return [Paragraph(value, styles["body"])]
    if kind == "h3":
        return [Paragraph(value, styles["h3"])]
    if kind in ("ul", "ol"):
        return [_list(value, styles, ordered=kind == "ol"), Spacer(1, 6)]
    if kind == "checklist":
        return [_checklist(value, styles), Spacer(1, 8)]
    if kind == "table":
        return [_table(value, styles), Spacer(1, 8)]
    if kind == "note":
        return [Spacer(1, 4), _note(value, styles), Spacer(1, 8)]
    raise ValueError(f"Unknown block kind: {kind}")


def build_document(spec: dict) -> bytes:
    """A kit document: title page, contents, then the sections."""
    styles = _styles()
    output = io.BytesIO()
    width, height = A4
    doc = SimpleDocTemplate(
        output,
        pagesize=A4,
        invariant=True,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2.4 * cm,
        bottomMargin=2.2 * cm,
        title=spec["title"],
        author=PORTAL,
        subject=spec.get("subtitle", ""),
        creator=PORTAL,
    )

    def title_page(canv, _doc):
        canv.saveState()
        canv.setFillColor(BLUE)
        canv.rect(0, height - 9 * cm, width, 9 * cm, stroke=0, fill=1)
        canv.setFillColor(colors.HexColor("#004D99"))
        for i in range(5):
            canv.circle(
                width - 2.6 * cm - i * 1.1 * cm, height - 8 * cm, 0.3 * cm, stroke=0, fill=1
            )
        canv.setFillColor(colors.white)
        canv.setFont("Helvetica-Bold", 12)
        canv.drawString(2.2 * cm, height - 2.2 * cm, PORTAL.upper())
        canv.setFont("Helvetica", 11)
        canv.drawString(2.2 * cm, height - 2.9 * cm, spec.get("series", "Kit documentali"))
        title = Paragraph(
            spec["title"],
            ParagraphStyle(
                "cover", fontName="Helvetica-Bold", fontSize=24, leading=29, textColor=colors.white
            ),
        )
        _w, h = title.wrap(width - 4.4 * cm, 6 * cm)
        title.drawOn(canv, 2.2 * cm, height - 4.2 * cm - h)
        y = height - 11 * cm
        if spec.get("subtitle"):
            subtitle = Paragraph(
                spec["subtitle"],
                ParagraphStyle(
                    "sub", fontName="Helvetica", fontSize=14, leading=19, textColor=DARK
                ),
            )
            _w, h = subtitle.wrap(width - 4.4 * cm, 6 * cm)
            subtitle.drawOn(canv, 2.2 * cm, y - h)
            y -= h + 1.2 * cm
        if spec.get("audience"):
            box = Paragraph(
                f"<b>A chi si rivolge.</b> {spec['audience']}",
                ParagraphStyle(
                    "aud",
                    fontName="Helvetica",
                    fontSize=11,
                    leading=15,
                    textColor=DARK,
                    backColor=LIGHT,
                    borderPadding=10,
                ),
            )
            _w, h = box.wrap(width - 4.8 * cm, 6 * cm)
            box.drawOn(canv, 2.4 * cm, y - h)
        canv.setFillColor(GREY)
        canv.setFont("Helvetica", 9)
        canv.drawString(2.2 * cm, 2.6 * cm, spec.get("version", "Versione 1.0"))
        canv.drawString(2.2 * cm, 2.1 * cm, LICENCE)
        canv.restoreState()

    def later_page(canv, doc_):
        canv.saveState()
        canv.setStrokeColor(BLUE)
        canv.setLineWidth(0.8)
        canv.line(2.2 * cm, height - 1.5 * cm, width - 2.2 * cm, height - 1.5 * cm)
        canv.setFont("Helvetica", 8.5)
        canv.setFillColor(GREY)
        canv.drawString(2.2 * cm, height - 1.3 * cm, f"{PORTAL} - {spec.get('series', '')}")
        canv.drawRightString(width - 2.2 * cm, height - 1.3 * cm, spec.get("short_title", ""))
        canv.drawString(2.2 * cm, 1.3 * cm, LICENCE)
        canv.drawRightString(width - 2.2 * cm, 1.3 * cm, f"Pagina {doc_.page}")
        canv.restoreState()

    story = [PageBreak(), Paragraph("Indice", styles["h2"])]
    for number, section in enumerate(spec["sections"], start=1):
        story.append(Paragraph(f"{number}. {section['heading']}", styles["toc"]))
    story.append(PageBreak())
    for number, section in enumerate(spec["sections"], start=1):
        if section.get("page_break") and number > 1:
            story.append(PageBreak())
        blocks = [Paragraph(f"{number}. {section['heading']}", styles["h2"])]
        first, *rest = section["blocks"]
        # Keep each heading with its first block.
        story.append(KeepTogether(blocks + _flowables(first, styles)))
        for block in rest:
            story.extend(_flowables(block, styles))
    doc.build(story, onFirstPage=title_page, onLaterPages=later_page)
    return output.getvalue()


def build_slides(spec: dict) -> bytes:
    """Webinar slides: a title slide, then one slide per item, then a closing slide.

    ``spec``: ``{"title", "subtitle", "date", "speakers": [..],
    "slides": [{"title": "…", "bullets": [...], "note": "…"}]}``.
    """
    output = io.BytesIO()
    size = landscape(A4)
    width, height = size
    canv = pdf_canvas.Canvas(output, pagesize=size, invariant=True)
    canv.setTitle(spec["title"])
    canv.setAuthor(PORTAL)
    canv.setCreator(PORTAL)
    total = len(spec["slides"]) + 2
    bullet_style = ParagraphStyle(
        "bullet",
        fontName="Helvetica",
        fontSize=17,
        leading=23,
        textColor=DARK,
        leftIndent=18,
        bulletIndent=0,
    )
    note_style = ParagraphStyle(
        "snote", fontName="Helvetica-Oblique", fontSize=13, leading=17, textColor=GREY
    )

    def frame(number):
        canv.setFillColor(BLUE)
        canv.rect(0, 0, width, 1.1 * cm, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont("Helvetica", 9)
        canv.drawString(1.5 * cm, 0.42 * cm, f"{PORTAL} - Webinar")
        canv.drawRightString(width - 1.5 * cm, 0.42 * cm, f"{number} / {total}")

    # Title slide.
    canv.setFillColor(BLUE)
    canv.rect(0, 0, width, height, stroke=0, fill=1)
    canv.setFillColor(colors.HexColor("#004D99"))
    canv.circle(width - 4 * cm, height - 3 * cm, 5 * cm, stroke=0, fill=1)
    canv.setFillColor(colors.white)
    canv.setFont("Helvetica-Bold", 13)
    canv.drawString(2 * cm, height - 2.5 * cm, f"{PORTAL.upper()} - WEBINAR")
    title = Paragraph(
        spec["title"],
        ParagraphStyle(
            "st", fontName="Helvetica-Bold", fontSize=30, leading=36, textColor=colors.white
        ),
    )
    _w, h = title.wrap(width - 8 * cm, 10 * cm)
    title.drawOn(canv, 2 * cm, height / 2 - h / 2 + 1 * cm)
    canv.setFont("Helvetica", 15)
    y = height / 2 - h / 2 - 0.4 * cm
    for line in filter(None, [spec.get("subtitle"), spec.get("date")]):
        canv.drawString(2 * cm, y, line)
        y -= 0.8 * cm
    canv.setFont("Helvetica", 12)
    y = 3 * cm
    for speaker in spec.get("speakers", []):
        canv.drawString(2 * cm, y, speaker)
        y -= 0.6 * cm
    canv.showPage()

    for number, slide in enumerate(spec["slides"], start=2):
        frame(number)
        canv.setFillColor(BLUE)
        canv.rect(1.5 * cm, height - 2.9 * cm, 0.25 * cm, 1.3 * cm, stroke=0, fill=1)
        heading = Paragraph(
            slide["title"],
            ParagraphStyle(
                "sh", fontName="Helvetica-Bold", fontSize=24, leading=28, textColor=DARK
            ),
        )
        _w, h = heading.wrap(width - 4 * cm, 3 * cm)
        heading.drawOn(canv, 2.2 * cm, height - 1.6 * cm - h)
        y = height - 4.2 * cm
        for bullet in slide.get("bullets", []):
            para = Paragraph(bullet, bullet_style, bulletText="•")
            _w, h = para.wrap(width - 5 * cm, height)
            para.drawOn(canv, 2.4 * cm, y - h)
            y -= h + 0.45 * cm
        if slide.get("note"):
            para = Paragraph(slide["note"], note_style)
            _w, h = para.wrap(width - 5 * cm, height)
            para.drawOn(canv, 2.4 * cm, max(y - h - 0.3 * cm, 1.6 * cm))
        canv.showPage()

    # Closing slide.
    frame(total)
    canv.setFillColor(DARK)
    canv.setFont("Helvetica-Bold", 28)
    canv.drawCentredString(width / 2, height / 2 + 1 * cm, "Grazie per la partecipazione")
    canv.setFont("Helvetica", 15)
    canv.setFillColor(GREY)
    canv.drawCentredString(
        width / 2,
        height / 2 - 0.4 * cm,
        spec.get("closing", "Domande e materiali nell'area generale della Community"),
    )
    canv.showPage()
    canv.save()
    return output.getvalue()

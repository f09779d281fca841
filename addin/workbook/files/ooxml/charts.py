"""Native Excel charts for the report sheets, as DrawingML parts added to a saved book.

The Workbook port has no chart call, so on the files adapter the charts are parts of the
package: one drawing per report sheet (``xl/drawings/loupe_<sheet part>.xml``) anchoring
its charts in the blank rows the layout keeps under a charted section, and one chart part
per chart (``xl/charts/loupe_<sheet part>_<n>.xml``) whose series point at the report's
own cells, so Excel redraws them from the figures (and a recalculated total moves them).
The part names are fixed per sheet, so each refresh writes over the last refresh's charts.

Where each chart sits, what it is named and which cells its series read come from
`addin.workbook.layout.report_look`, which the live adapter follows through xlwings'
chart API, so both adapters draw the same charts.
"""

from __future__ import annotations

from addin.workbook.files.ooxml.xml_text import attr, cell_text
from addin.workbook.layout.report_layout import CHART_ROWS
from addin.workbook.layout.report_look import PlacedChart

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_REL = R + "/chart"
DRAWING_REL = R + "/drawing"
PALETTE = ("1F3864", "2E75B6", "9DC3E6", "C55A11", "F4B183", "7F7F7F", "70AD47")


def chart_xml(sheet: str, pc: PlacedChart) -> bytes:
    """One chart part: bars or columns from the section's own cells."""
    chart = pc.chart
    cats = pc.categories(sheet)
    series = "".join(
        _series(i, name, values, cats) for i, (name, values) in enumerate(pc.series(sheet))
    )
    horizontal = chart.kind == "bar"
    stacked = chart.kind == "stacked"
    grouping = "stacked" if stacked else "clustered"
    overlap = '<c:overlap val="100"/>' if stacked else ""
    legend = (
        '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
        if len(chart.series) > 1
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{C}" xmlns:a="{A}" xmlns:r="{R}">'
        '<c:roundedCorners val="0"/><c:chart>'
        f"{_title(chart.title)}"
        '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
        f'<c:barChart><c:barDir val="{"bar" if horizontal else "col"}"/>'
        f'<c:grouping val="{grouping}"/><c:varyColors val="0"/>{series}'
        f'<c:gapWidth val="60"/>{overlap}<c:axId val="5001"/><c:axId val="5002"/></c:barChart>'
        f"{_category_axis('l' if horizontal else 'b', reverse=horizontal)}"
        f"{_value_axis('b' if horizontal else 'l', at_last=horizontal)}"
        f"</c:plotArea>{legend}"
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        '<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>'
        '<a:ln><a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill></a:ln></c:spPr>'
        "</c:chartSpace>"
    ).encode()


def _series(i: int, name: str, values: str, cats: str) -> str:
    return (
        f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>'
        f"<c:tx><c:strRef><c:f>{cell_text(name)}</c:f></c:strRef></c:tx>"
        f'<c:spPr><a:solidFill><a:srgbClr val="{PALETTE[i % len(PALETTE)]}"/></a:solidFill>'
        '</c:spPr><c:invertIfNegative val="0"/>'
        f"<c:cat><c:strRef><c:f>{cell_text(cats)}</c:f></c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>{cell_text(values)}</c:f></c:numRef></c:val>"
        "</c:ser>"
    )


def _title(text: str) -> str:
    return (
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
        '<a:defRPr sz="1200" b="1"/></a:pPr><a:r><a:rPr lang="en-US" sz="1200" b="1"/>'
        f"<a:t>{cell_text(text)}</a:t></a:r></a:p></c:rich></c:tx>"
        '<c:overlay val="0"/></c:title>'
    )


def _category_axis(pos: str, reverse: bool = False) -> str:
    """reverse: bars read top down in the table's order."""
    order = "maxMin" if reverse else "minMax"
    return (
        f'<c:catAx><c:axId val="5001"/><c:scaling><c:orientation val="{order}"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{pos}"/><c:numFmt formatCode="General" '
        'sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
        '<c:tickLblPos val="low"/><c:crossAx val="5002"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/>'
        '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
    )


def _value_axis(pos: str, at_last: bool = False) -> str:
    """at_last: the value axis crosses at the last category (below reversed bars)."""
    crosses = "max" if at_last else "autoZero"
    return (
        '<c:valAx><c:axId val="5002"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{pos}"/><c:majorGridlines><c:spPr><a:ln>'
        '<a:solidFill><a:srgbClr val="E7E6E6"/></a:solidFill></a:ln></c:spPr>'
        '</c:majorGridlines><c:numFmt formatCode="#,##0" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
        f'<c:tickLblPos val="nextTo"/><c:crossAx val="5001"/><c:crosses val="{crosses}"/>'
        '<c:crossBetween val="between"/></c:valAx>'
    )


def drawing_xml(charts: list[PlacedChart]) -> bytes:
    """The sheet's drawing: chart n (relationship rIdChart<n>) in the rows kept for it."""
    anchors = []
    for n, pc in enumerate(charts, 1):
        top = pc.top_row - 1  # zero-based rows and columns
        width = pc.columns
        anchors.append(
            '<xdr:twoCellAnchor editAs="oneCell">'
            f"<xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{top}</xdr:row>"
            "<xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f"<xdr:to><xdr:col>{width}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{top + CHART_ROWS - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{n + 1}" '
            f'name="{attr(pc.name)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
            '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic>'
            f'<a:graphicData uri="{C}"><c:chart xmlns:c="{C}" r:id="rIdChart{n}"/>'
            "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>"
            "</xdr:twoCellAnchor>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<xdr:wsDr xmlns:xdr="{XDR}" xmlns:a="{A}" xmlns:r="{R}">{"".join(anchors)}'
        "</xdr:wsDr>"
    ).encode()


def drawing_rels(chart_targets: list[str]) -> bytes:
    """The drawing's relationships: rIdChart<n> -> its chart part (relative target)."""
    rels = "".join(
        f'<Relationship Id="rIdChart{n}" Type="{CHART_REL}" Target="{attr(t)}"/>'
        for n, t in enumerate(chart_targets, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rels}</Relationships>"
    ).encode()

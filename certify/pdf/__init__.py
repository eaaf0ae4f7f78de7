"""Certification's printed documents as PDF: the carbon neutrality certificate, product
carbon labels and their print sheets, each with its QR code.

`certificate` lays out the certificate (`content` says what is on it), `label` one label
at its printed size, `sheets` many labels on A4 with cut marks, and `qr` (with
`qrlayout`) makes and draws the QR codes. Fonts, text, colours, the chart and the
streaming writer are shared with the guide's PDF, in `footprint.platform.pdf`.
"""

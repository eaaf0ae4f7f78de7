"""Printed documents as PDF: the carbon neutrality certificate, with its QR code.

`certificate` lays out the page (`content` says what is on it), `fonts` embeds the CJK
font, `qr` (with `qrlayout`) makes and draws QR codes, `chart` the bar chart, and `text`
formats and fits the text.
"""

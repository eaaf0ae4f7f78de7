"""A reportlab document that writes each page as soon as it is added: PDFs of any length
in constant memory.

reportlab's document keeps every page (its drawing commands) until it is saved, and then
builds the whole file in memory. `StreamingDocument` writes each page, and its content
stream, to the output as soon as the canvas finishes it, and keeps only the object's
number and offset; what pages share (the font subset, the page tree) and the
cross-reference table follow at the end. The result is one ordinary PDF. Written by hand
because reportlab offers no streaming writer; it relies on `PDFDocument` internals
(``numberToId``, ``idToObject``, ``idToOffset``), pinned to reportlab 5.
"""

from __future__ import annotations

from typing import BinaryIO

from reportlab.pdfbase import pdfdoc


class StreamingDocument(pdfdoc.PDFDocument):
    """A reportlab document that writes each page to ``out`` as soon as it is added.

    reportlab formats a document's objects in the order of their numbers when it is saved;
    here a page and the objects it brings (its content stream) are formatted and written
    when the canvas adds the page, and forgotten but for their numbers and offsets. What
    pages share is written at the end, as reportlab would: the page tree, the font objects
    (the subset of the characters used on every page), the catalogue and the info, then
    the cross-reference table. Relies on reportlab's `PDFDocument` internals
    (``numberToId``, ``idToObject``, ``idToOffset``), pinned to reportlab 5."""

    def __init__(self, out: BinaryIO, *, compression: bool) -> None:
        super().__init__(compression=int(compression), invariant=True)
        self._out = out
        self._offset = 0
        self._written: set[int] = set()

    def _put(self, data: bytes) -> int:
        if not self._offset:
            header = pdfdoc.PDFFile(self._pdfVersion).format(self)
            self._out.write(header)
            self._offset = len(header)
        offset = self._offset
        self._out.write(data)
        self._offset += len(data)
        return offset

    def _put_object(self, number: int) -> None:
        name = self.numberToId[number]
        data = pdfdoc.PDFIndirectObject(name, self.idToObject[name]).format(self)
        self.idToOffset[name] = self._put(data)
        self.idToObject[name] = None  # keep the name registered, drop the object
        self._written.add(number)

    def addPage(self, page: pdfdoc.PDFPage) -> None:
        name = self.thisPageName()
        super().addPage(page)
        number = self.idToObjectNumberAndVersion[name][0]
        self._put_object(number)  # formatting it registers its content stream
        follower = number + 1
        while follower in self.numberToId:
            if (
                self.idToObject[self.numberToId[follower]] is not self.Pages
                and follower not in self._written
            ):
                self._put_object(follower)
            follower += 1
        self.Pages.pages[-1] = pdfdoc.PDFObjectReference(name)

    def format(self) -> bytes:
        """Write what is left, the cross-reference table and the trailer; nothing to return."""
        self.Reference(self.Catalog)
        self.Reference(self.info)
        number = 1
        while number in self.numberToId:  # formatting may register more objects
            if number not in self._written:
                self._put_object(number)
            number += 1
        entries = [b"xref\n", f"0 {number}\n".encode(), b"0000000000 65535 f \n"]
        entries += [
            f"{self.idToOffset[self.numberToId[n]]:010d} 00000 n \n".encode()
            for n in range(1, number)
        ]
        start = self._put(b"".join(entries))
        trailer = pdfdoc.PDFTrailer(
            startxref=start,
            Size=number,
            Root=self.Reference(self.Catalog),
            Info=self.Reference(self.info),
            ID=self.ID(),
        )
        self._put(trailer.format(self))
        return b""

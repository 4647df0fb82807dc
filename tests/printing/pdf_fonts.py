"""Which fonts a PDF uses, and whether each travels inside the file."""

from __future__ import annotations

import io

import pypdf

#: Families of the 14 fonts every PDF reader has (PDF 1.7, 9.6.2.2); others must be embedded.
STANDARD_FONTS = {"Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats"}


def fonts_of(pdf: bytes) -> dict[str, bool]:
    """Each font the pages use (by its PDF name) and whether its font file is in the PDF."""
    embedded: dict[str, bool] = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            parts = [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]
            files = [
                part["/FontDescriptor"].get_object().keys()
                & {"/FontFile", "/FontFile2", "/FontFile3"}
                for part in parts
                if "/FontDescriptor" in part
            ]
            embedded[str(font["/BaseFont"]).lstrip("/")] = any(files)
    return embedded


def fonts_a_reader_may_lack(pdf: bytes) -> list[str]:
    """Fonts neither in the PDF nor built into every reader: their text shows as blanks."""
    return [
        name
        for name, inside in fonts_of(pdf).items()
        if not inside and name.split("-")[0] not in STANDARD_FONTS
    ]

"""OCR time per scanned page, and the ingest of a whole scanned seed.

Usage: .venv/bin/python -m scripts.bench_ocr [PAGES]   (from the checkout's root)
Prints the median and spread of OCR's time on each of the first PAGES pages
(default 4) of the flow seed printed and scanned at 200 dpi, and of the cells
seed printed with ruled tables and scanned, one page at a time on one core,
then the time of ingesting the whole flow scan (its pages read on as many
cores as the machine gives) and what came of it. Nothing comes from the cache.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.disclosure_files import flow_pdf, image_pdf, ruled_pdf
from tests.seeds import HUANGPI, QIAOKOU, source_of

from juesuan.errors import SourceError
from juesuan.ingest.pipeline import ingest
from juesuan.ingest.readers import ocr, ocr_cache


def main() -> None:
    import pypdfium2

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    ocr_cache.FOLDER = None  # every page read afresh: the figures are Tesseract's
    with tempfile.TemporaryDirectory() as folder:
        printed = flow_pdf(
            source_of(QIAOKOU), Path(folder) / "seed.pdf", gap="   ", spread=("栏次",)
        )
        scan = image_pdf(printed, Path(folder) / "scan.pdf", dpi=200)
        ruled = image_pdf(
            ruled_pdf(source_of(HUANGPI), Path(folder) / "ruled.pdf"), Path(folder) / "r.pdf"
        )
        print(f"{ocr.engine()}, {ocr.LANGUAGE}, {ocr.DPI} dpi, {os.cpu_count()} cores")
        for name, pdf in (("flowed text", scan), ("ruled tables, read as cells", ruled)):
            document = pypdfium2.PdfDocument(pdf)
            pages = len(document)
            seconds = []
            for index in range(min(count, pages)):
                start = time.perf_counter()
                ocr.read_page(document[index])
                seconds.append(time.perf_counter() - start)
            document.close()
            median = statistics.median(seconds)
            print(
                f"OCR per page of {name} (one core, {len(seconds)} pages): median "
                f"{median:.1f} s, min {min(seconds):.1f} s, max {max(seconds):.1f} s"
            )
        pages = len(pypdfium2.PdfDocument(scan))
        start = time.perf_counter()
        try:
            disclosure = ingest(scan)
            outcome = (
                f"ingested, {sum(len(t.rows) for t in disclosure.tables)} rows, "
                f"{len(disclosure.ocr_corrections)} OCR corrections"
            )
        except SourceError as error:
            outcome = f"refused: {str(error)[:300]}"
        total = time.perf_counter() - start
        print(f"ingest of the whole scan ({pages} pages): {total:.1f} s; {outcome}")


if __name__ == "__main__":
    main()

"""Getting a unit's report in: the blank forms offered for download, the protective limits, the worker process that
reads a workbook under caps, and the import of one file end to end (read, check rights and bounds, store)."""

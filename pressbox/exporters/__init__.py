"""Exporters: the whole blog written out in a format another program reads.

`wxr.py` writes a WordPress eXtended RSS file (`pressbox export_wxr FILE`), which
WordPress's own importer and Pressbox's `import_wxr` both read. Exporters have no
models; each is a module with one entry function that its command calls.
"""

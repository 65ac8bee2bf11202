"""Model reports in every format, rendered from one document (pure: no I/O, no database).

:func:`~consentry.transparency.build.build_report` turns plain data
(:class:`~consentry.transparency.inputs.ReportInput`) into the report's data;
the renderers (HTML, the EU training-content summary, SPDX 3.0.1, CycloneDX
1.6, Croissant 1.1) read only that. ``docs/reports.md`` maps each field.
"""

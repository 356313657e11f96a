/**
 * Archival PDF for the documents the app prints (the session record, the reports): an A4 page
 * writer with DejaVu Sans embedded and the PDF/A-2b metadata. A leaf: it knows PDFBox and nothing
 * of the domain, so any area may print through it without forming a package cycle.
 */
package org.citizenreception.control.pdf;

package org.citizenreception.control.recording;

import java.util.List;

/** Prints a {@link SessionRecord} as a self-contained HTML page (the in-app view and print). */
final class SessionRecordHtml {
    private SessionRecordHtml() {
    }

    static String render(SessionRecord record) {
        StringBuilder html = new StringBuilder("<!doctype html>\n<html lang=\"").append(record.language().code()).append("\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(record.title())).append("</title><style>body{font-family:'DejaVu Sans',sans-serif;margin:2rem;}"
                        + "table{border-collapse:collapse;margin-bottom:1.5rem;}td,th{border:1px solid #999;padding:.25rem .5rem;"
                        + "text-align:left;vertical-align:top;font-size:.9rem;}code{word-break:break-all;}</style></head><body>\n")
                .append("<h1>").append(escape(record.title())).append("</h1>\n<p>").append(escape(record.sessionNumber())).append("</p>\n");
        for (SessionRecord.Section section : record.sections()) {
            html.append("<h2>").append(escape(section.heading())).append("</h2>\n<table>\n");
            boolean header = section.columnHeadings() && section.rows().size() > 1;
            for (int i = 0; i < section.rows().size(); i++) {
                List<String> row = section.rows().get(i);
                String cell = header && i == 0 ? "th" : "td";
                html.append("<tr>");
                for (String value : row) {
                    html.append('<').append(cell).append('>').append(escape(value)).append("</").append(cell).append('>');
                }
                html.append("</tr>\n");
            }
            html.append("</table>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}

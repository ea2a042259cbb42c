package io.dvdrental.pipelines.producer.seed;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.time.LocalDateTime;

/** Writes rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for null, backslash escapes. */
final class CopyText {

    private CopyText() {
    }

    static void writeRow(Writer out, Object[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write('\t');
            }
            writeValue(out, values[i]);
        }
        out.write('\n');
    }

    private static void writeValue(Writer out, Object value) throws IOException {
        if (value == null) {
            out.write("\\N");
        } else if (value instanceof Boolean b) {
            out.write(b ? "t" : "f");
        } else if (value instanceof LocalDateTime time) {
            writeTimestamp(out, time);
        } else if (value instanceof LocalDate date) {
            out.write(date.toString());
        } else if (value instanceof String[] array) {
            writeArray(out, array);
        } else {
            writeEscaped(out, value.toString());
        }
    }

    /** {@code yyyy-MM-dd HH:mm:ss} without a formatter: the big tables write millions of these. */
    private static void writeTimestamp(Writer out, LocalDateTime time) throws IOException {
        out.write(Integer.toString(time.getYear()));
        out.write('-');
        twoDigits(out, time.getMonthValue());
        out.write('-');
        twoDigits(out, time.getDayOfMonth());
        out.write(' ');
        twoDigits(out, time.getHour());
        out.write(':');
        twoDigits(out, time.getMinute());
        out.write(':');
        twoDigits(out, time.getSecond());
    }

    private static void twoDigits(Writer out, int value) throws IOException {
        out.write('0' + value / 10);
        out.write('0' + value % 10);
    }

    private static void writeArray(Writer out, String[] array) throws IOException {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < array.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"').append(array[i].replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        writeEscaped(out, literal.append('}').toString());
    }

    private static void writeEscaped(Writer out, String text) throws IOException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.write("\\\\");
                case '\t' -> out.write("\\t");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                default -> out.write(c);
            }
        }
    }
}

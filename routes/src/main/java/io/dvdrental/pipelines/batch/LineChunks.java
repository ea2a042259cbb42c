package io.dvdrental.pipelines.batch;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The extract's split works on chunks of whole lines of the source's COPY text, each at most a size in bytes (one
 * exchange and one insert per chunk, not per row): what a table's read holds is its chunks in flight, whatever its
 * rows look like. The source's bytes are read straight into the chunk's own array; only the part of a line that did
 * not fit is copied, to start the next chunk. The rows are never parsed: in PostgreSQL's text format a row is exactly
 * one line (a newline inside a value is written as {@code \n}), and a cut after a newline byte never splits a UTF-8
 * character. Closing the iterator closes the stream, as the split does when it ends.
 */
final class LineChunks implements Iterator<LineChunks.Chunk>, Closeable {

    /** The whole lines in {@code bytes[0, length)}, each ending with a newline (but perhaps the stream's last). */
    record Chunk(byte[] bytes, int length, int lines) {

        /** The lines as an insert's body (the array is not copied). */
        InputStream stream() {
            return new ByteArrayInputStream(bytes, 0, length);
        }

        /**
         * The greatest date or timestamp in tab-separated field {@code field} (from 0), or null when there is none.
         * It is found on the text: ISO text (yyyy-MM-dd[ HH:mm:ss[.ffffff]]) orders as time. NULL (\N) and other text
         * (infinity) are left out.
         */
        LocalDateTime maxTimestamp(int field) {
            int[] best = null;
            for (int[] value : fields(field)) {
                int from = value[0];
                int length = value[1] - from;
                if (length < 10 || bytes[from + 4] != '-' || !Character.isDigit(bytes[from])) {
                    continue;
                }
                if (best == null || Arrays.compare(bytes, from, value[1], bytes, best[0], best[1]) > 0) {
                    best = value;
                }
            }
            if (best == null) {
                return null;
            }
            String text = new String(bytes, best[0], best[1] - best[0], StandardCharsets.US_ASCII);
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay()
                    : LocalDateTime.parse(text.replace(' ', 'T'));
        }

        /** The greatest integer in field {@code field}, or null when every value is NULL. */
        Long maxLong(int field) {
            Long max = null;
            for (int[] value : fields(field)) {
                if (value[1] - value[0] == 2 && bytes[value[0]] == '\\' && bytes[value[0] + 1] == 'N') {
                    continue;
                }
                long n = Long.parseLong(new String(bytes, value[0], value[1] - value[0],
                        StandardCharsets.US_ASCII));
                if (max == null || n > max) {
                    max = n;
                }
            }
            return max;
        }

        /** The bounds (from inclusive, to exclusive) of field {@code field} in every line. */
        private List<int[]> fields(int field) {
            List<int[]> bounds = new ArrayList<>(lines);
            int at = 0;
            while (at < length) {
                int column = 0;
                int from = at;
                while (at < length && bytes[at] != '\n') {
                    if (bytes[at] == '\t') {
                        if (column == field) {
                            break;
                        }
                        column++;
                        from = at + 1;
                    }
                    at++;
                }
                if (column == field) {
                    bounds.add(new int[] {from, at});
                }
                while (at < length && bytes[at] != '\n') {
                    at++;
                }
                at++;
            }
            return bounds;
        }
    }

    private final InputStream in;
    private final int chunkBytes;
    /** The start of the next chunk: the part of a line the last chunk could not take. */
    private byte[] carried = new byte[0];
    private boolean eof;
    private Chunk next;

    LineChunks(InputStream in, int chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("A chunk takes at least one byte: " + chunkBytes);
        }
        this.in = in;
        this.chunkBytes = chunkBytes;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = read();
        }
        return next != null;
    }

    @Override
    public Chunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Chunk chunk = next;
        next = null;
        return chunk;
    }

    /**
     * Reads until the chunk is full or the stream ends, and cuts after the last newline that fits. A line longer than
     * a chunk is a chunk of its own, as long as it is.
     */
    private Chunk read() {
        if (eof && carried.length == 0) {
            return null;
        }
        byte[] bytes = Arrays.copyOf(carried, Math.max(chunkBytes, carried.length));
        int end = carried.length;
        int scanned = 0;
        int cut = 0;
        int lines = 0;
        while (true) {
            for (; scanned < end; scanned++) {
                if (bytes[scanned] == '\n' && (scanned < chunkBytes || cut == 0)) {
                    cut = scanned + 1;
                    lines++;
                }
            }
            if (cut > 0 && end >= chunkBytes) {
                break;
            }
            if (eof) {
                if (end > cut) {
                    // The stream's last line, without its newline.
                    cut = end;
                    lines++;
                }
                break;
            }
            if (end == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            try {
                int n = in.read(bytes, end, bytes.length - end);
                if (n < 0) {
                    eof = true;
                } else {
                    end += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Reading the source's rows failed", e);
            }
        }
        carried = Arrays.copyOfRange(bytes, cut, end);
        return cut == 0 ? null : new Chunk(bytes, cut, lines);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

package io.dvdrental.pipelines.batch;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.support.ExpressionAdapter;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The extract's split and aggregate work on chunks of whole lines of the source's COPY text: the stream is cut at
 * line ends into chunks (one exchange per chunk, not per row, which keeps Camel's per-exchange cost off the row path)
 * and the chunks are aggregated into insert batches. The rows are never parsed: in PostgreSQL's text format a row is
 * exactly one line (a newline inside a value is written as {@code \n}). Closing the iterator closes the stream, as
 * the split does when it ends.
 */
final class LineChunks implements Iterator<LineChunks.Chunk>, Closeable {

    private static final int READ_SIZE = 64 * 1024;

    /** Whole lines, each ending with a newline (but perhaps the stream's last), and how many. */
    record Chunk(byte[] bytes, int lines) {

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
            while (at < bytes.length) {
                int column = 0;
                int from = at;
                while (at < bytes.length && bytes[at] != '\n') {
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
                while (at < bytes.length && bytes[at] != '\n') {
                    at++;
                }
                at++;
            }
            return bounds;
        }
    }

    private final InputStream in;
    private final int linesPerChunk;
    private byte[] buffer = new byte[READ_SIZE];
    /** The bytes read and not yet handed out: buffer[start, end). */
    private int start;
    private int end;
    private boolean eof;

    LineChunks(InputStream in, int linesPerChunk) {
        this.in = in;
        this.linesPerChunk = linesPerChunk;
    }

    /** Splits a message body that is a stream of lines (the source's COPY) into chunks of at most {@code lines}. */
    static Expression of(int lines) {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                InputStream in = exchange.getMessage().getBody(InputStream.class);
                if (in == null) {
                    throw new IllegalArgumentException("The extract query did not answer a stream of lines");
                }
                return new LineChunks(in, lines);
            }

            @Override
            public <X> X evaluate(Exchange exchange, Class<X> type) {
                return type.cast(evaluate(exchange));
            }
        };
    }

    /** Collects the chunks of one batch. */
    static AggregationStrategy collected() {
        return (oldExchange, newExchange) -> {
            Chunk chunk = newExchange.getMessage().getBody(Chunk.class);
            if (oldExchange == null) {
                newExchange.getMessage().setBody(new ArrayList<>(List.of(chunk)));
                return newExchange;
            }
            @SuppressWarnings("unchecked")
            List<Chunk> batch = oldExchange.getMessage().getBody(List.class);
            batch.add(chunk);
            return oldExchange;
        };
    }

    /** The lines of a batch of chunks, in order, as one stream (the chunks are not copied). */
    static InputStream stream(List<Chunk> batch) {
        return new SequenceInputStream(Collections.enumeration(
                batch.stream().map(c -> (InputStream) new ByteArrayInputStream(c.bytes())).toList()));
    }

    static int lines(List<Chunk> batch) {
        return batch.stream().mapToInt(Chunk::lines).sum();
    }

    @Override
    public boolean hasNext() {
        if (start == end && !eof) {
            fill();
        }
        return start < end;
    }

    @Override
    public Chunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int lines = 0;
        int scan = start;
        while (true) {
            while (scan < end && lines < linesPerChunk) {
                if (buffer[scan++] == '\n') {
                    lines++;
                }
            }
            if (lines == linesPerChunk || eof) {
                break;
            }
            scan -= fill();
        }
        if (scan == end && eof && buffer[end - 1] != '\n') {
            // The stream's last line, without its newline.
            lines++;
        }
        Chunk chunk = new Chunk(Arrays.copyOfRange(buffer, start, scan), lines);
        start = scan;
        return chunk;
    }

    /** Reads more after the unread bytes (moving them to the front first); answers how far they moved. */
    private int fill() {
        int moved = start;
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (buffer.length - end < READ_SIZE / 2) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        try {
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the source's rows failed", e);
        }
        return moved;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

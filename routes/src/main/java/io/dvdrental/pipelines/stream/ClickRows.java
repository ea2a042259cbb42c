package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.clicks.ClickFields;
import io.dvdrental.pipelines.transforms.clicks.ClickFields.Text;
import io.dvdrental.pipelines.transforms.reference.FilmReference;
import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Rows of {@code stream.dvd_clicks}, kept in ClickHouse's RowBinary format: binary values in column order
 * ({@code ingested_at} is the server's). Each valid click is written from its {@link ClickFields} straight into one
 * growing buffer, enriched on the way. One instance per partition read: rows are added as records come and inserted a
 * {@link #slice} at a time, sent in ClickHouse's Native format (read by {@code input(STRUCTURE)}); the
 * inserted ones are then dropped from the front ({@link #dropFirst}), so the buffer stops growing after the first
 * inserts. Not thread-safe.
 *
 * <p>Native, not RowBinary, on the wire: ClickHouse reads RowBinary a row and a value at a time (about 2 us of its CPU
 * per click, a third of the insert's cost with the views and merges), a Native block a column at a time (0.2 us). Its
 * values are RowBinary's, grouped by column, so the rows are written by row as they come and regrouped once per insert.
 */
public final class ClickRows {

    /** Name and type of each column written, in order; the types are the table's (V200, V202). */
    static final List<String> NAMES_AND_TYPES = List.of("event_id UUID", "event_ts DateTime64(3, 'UTC')",
            "user_id String", "session_id String", "film_id UInt32", "event_type LowCardinality(String)",
            "page LowCardinality(String)", "position UInt8", "device LowCardinality(String)",
            "referrer LowCardinality(String)", "film_title String", "category LowCardinality(String)",
            "rating LowCardinality(String)", "length UInt16", "kafka_topic LowCardinality(String)",
            "kafka_topic_id LowCardinality(String)", "kafka_partition UInt16", "kafka_offset UInt64");

    private static final String[] NAMES = NAMES_AND_TYPES.stream()
            .map(column -> column.substring(0, column.indexOf(' '))).toArray(String[]::new);

    /** The columns, in the order {@link #add} writes them. */
    static final String COLUMNS = String.join(", ", NAMES);

    /**
     * The types of the Native block: the table's, but String for LowCardinality(String), whose dictionaries ClickHouse
     * builds on insert (the Native form of LowCardinality is a dictionary; the RowBinary form is the String's).
     */
    private static final String[] BLOCK_TYPES = NAMES_AND_TYPES.stream()
            .map(column -> column.substring(column.indexOf(' ') + 1).replace("LowCardinality(String)", "String"))
            .toArray(String[]::new);

    /** Bytes of each column's value in a row; -1 for a String (its length, then its bytes). */
    private static final int[] WIDTHS = Arrays.stream(BLOCK_TYPES).mapToInt(ClickRows::width).toArray();

    /** The argument of {@code input()}: the columns with the block's types, as an SQL string literal. */
    static final String STRUCTURE = "'" + IntStream.range(0, NAMES.length)
            .mapToObj(i -> NAMES[i] + " " + BLOCK_TYPES[i]).collect(Collectors.joining(", ")).replace("'", "\\'") + "'";

    /** Rows per Native block: about 130 KB of generated clicks. */
    private static final int BLOCK_ROWS = 1024;

    /** A row of generated clicks takes about 130 bytes; more is grown into. */
    private static final int ROW_BYTES = 160;

    /** A buffer more than this many times the bytes of the last insert is given back once its rows are in. */
    private static final int SLACK = 4;

    /** The film columns of a film the reference does not know (as {@link FilmReference#unknown}): all alike. */
    private static final byte[] UNKNOWN_FILM = filmColumns(FilmReference.unknown(0));

    private static final Text[] TEXTS = Text.values();

    private byte[] buffer = new byte[0];
    private int size;
    private int count;
    /** The buffer's size when the rows started: what it goes back to once a quiet partition's rows are all in. */
    private int startBytes;
    /** Bytes of a row on average, from the rows written so far. */
    private int rowBytes = ROW_BYTES;
    /** The most bytes the rows are expected to take before their insert ({@link #reserve}): growth stops there. */
    private int mostBytes;
    /** Bytes of the rows last dropped (inserted). */
    private int lastInserted;
    /** The topic's columns and the partition's. */
    private byte[] topicColumns;
    private int partition;
    /** The film columns of each known film seen, from {@link #films}; cleared when another snapshot comes. */
    private final FilmColumns filmColumns = new FilmColumns();
    private ReferenceSnapshot films;

    /** Starts again, empty, for about {@code clicks} rows read from {@code partition}, enriched from {@code films}. */
    public ClickRows start(ClickPartition partition, ReferenceSnapshot films, int clicks) {
        size = 0;
        count = 0;
        lastInserted = 0;
        topicColumns = strings(partition.topic(), partition.topicId());
        this.partition = partition.partition();
        enrichFrom(films);
        startBytes = clicks * ROW_BYTES;
        mostBytes = startBytes;
        ensure(startBytes);
        return this;
    }

    /**
     * Room for {@code rows} more rows, of which at most {@code mostRows} wait for their insert (insert-rows and a
     * round): the buffer doubles as it fills, but not past that many rows of the size written so far. Doubled
     * regardless, the buffer of a partition whose rows wait for insert-rows ended near twice what they need (50,000
     * rows and a round: 16 MB kept where 8 MB do).
     */
    public void reserve(int rows, int mostRows) {
        if (count > 0) {
            rowBytes = (int) ((size + count - 1L) / count);
        }
        mostBytes = (int) Math.min(Integer.MAX_VALUE - 8, (long) mostRows * rowBytes);
        ensure((int) Math.min(Integer.MAX_VALUE - 8, size + (long) rows * rowBytes));
    }

    /**
     * Once every row is inserted, a buffer grown past the start's, and more than {@value #SLACK} times what the rows
     * last inserted took, goes back to the start's size: a backlog's rows took the most bytes, which a partition that
     * went quiet (or a slow one) does not need until the next backlog. A buffer near the last insert's size is kept:
     * given back and grown again at every insert (bursts inserted at max-wait), its arrays outlived young collections
     * and were copied and promoted each time, filling the old generation of a small heap.
     */
    public void release() {
        if (count == 0 && buffer.length > startBytes && buffer.length > SLACK * (long) lastInserted) {
            buffer = new byte[startBytes];
        }
    }

    /** The buffer's size in bytes (what it holds on the heap). */
    int capacity() {
        return buffer.length;
    }

    /** The reference the next rows are enriched from (a newer snapshot may have come since the rows before). */
    public void enrichFrom(ReferenceSnapshot films) {
        if (films != this.films) {
            this.films = films;
            filmColumns.clear();
        }
    }

    /** Appends a click's row; true when its film is unknown to the reference (kept as 'Unknown'). */
    public boolean add(ClickFields click, long kafkaOffset) {
        byte[] film = filmColumns.get(click.filmId());
        if (film == null) {
            FilmReference known = films.film(click.filmId());
            if (known == null) {
                film = UNKNOWN_FILM; // not kept: film ids nobody knows would fill the cache without bound
            } else {
                film = filmColumns(known);
                filmColumns.put(click.filmId(), film);
            }
        }
        ensure(size + 64 + film.length + topicColumns.length + textBytes(click));
        // RowBinary's UUID: the high half, then the low half, each little-endian.
        int64(click.eventIdHigh());
        int64(click.eventIdLow());
        int64(click.eventTsMillis());
        text(click, Text.USER_ID);
        text(click, Text.SESSION_ID);
        int32(click.filmId());
        text(click, Text.EVENT_TYPE);
        text(click, Text.PAGE);
        buffer[size++] = (byte) click.position();
        text(click, Text.DEVICE);
        text(click, Text.REFERRER);
        bytes(film);
        bytes(topicColumns);
        int16(partition);
        // UInt64 as Int64: the same eight bytes for any offset (Kafka offsets are below 2^63).
        int64(kafkaOffset);
        count++;
        return film == UNKNOWN_FILM;
    }

    public int count() {
        return count;
    }

    /** The bytes written so far: where the next row begins. */
    public int size() {
        return size;
    }

    /** The {@code rows} rows from the row boundary {@code from} on, as they are now (until {@link #dropFirst}). */
    public ClickBlock slice(int from, int rows) {
        byte[] bytes = buffer;
        return new ClickBlock() {
            @Override
            public int count() {
                return rows;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                writeNative(bytes, from, rows, out);
            }
        };
    }

    /**
     * Native: blocks of at most {@value #BLOCK_ROWS} rows, each the number of columns and of rows, then each column's
     * name, type and the values of every row in turn, each value as RowBinary has it in the row. ClickHouse squashes
     * an insert's blocks into one (one part, one deduplicated block); small blocks keep the rows being regrouped in
     * the processor's cache, where one block of all the rows would be read from memory once per column.
     */
    private static void writeNative(byte[] rows, int from, int count, OutputStream out) throws IOException {
        Block block = new Block(out);
        // Where each row's next column begins.
        int[] at = new int[Math.min(count, BLOCK_ROWS)];
        int position = from;
        for (int first = 0; first < count; first += BLOCK_ROWS) {
            int blockRows = Math.min(BLOCK_ROWS, count - first);
            for (int row = 0; row < blockRows; row++) {
                at[row] = position;
                for (int width : WIDTHS) {
                    position = valueEnd(rows, position, width);
                }
            }
            block.varInt(NAMES.length);
            block.varInt(blockRows);
            for (int column = 0; column < NAMES.length; column++) {
                block.text(NAMES[column]);
                block.text(BLOCK_TYPES[column]);
                int width = WIDTHS[column];
                for (int row = 0; row < blockRows; row++) {
                    int start = at[row];
                    int end = valueEnd(rows, start, width);
                    block.write(rows, start, end - start);
                    at[row] = end;
                }
            }
        }
        block.flush();
    }

    private static int valueEnd(byte[] rows, int at, int width) {
        if (width >= 0) {
            return at + width;
        }
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = rows[at++];
            length |= (b & 0x7F) << shift;
            if (b >= 0) {
                return at + length;
            }
        }
    }

    private static int width(String type) {
        return switch (type) {
            case "String" -> -1;
            case "UInt8" -> 1;
            case "UInt16" -> 2;
            case "UInt32" -> 4;
            case "UInt64", "DateTime64(3, 'UTC')" -> 8;
            case "UUID" -> 16;
            default -> throw new IllegalStateException("No width for " + type);
        };
    }

    /** The block's bytes gathered in a buffer of its own: a value is a few bytes, too few for a write each. */
    private static final class Block {
        private final OutputStream out;
        private final byte[] buffer = new byte[64 * 1024];
        private int size;

        Block(OutputStream out) {
            this.out = out;
        }

        void write(byte[] bytes, int from, int length) throws IOException {
            if (size + length > buffer.length) {
                flush();
                if (length > buffer.length) {
                    out.write(bytes, from, length);
                    return;
                }
            }
            System.arraycopy(bytes, from, buffer, size, length);
            size += length;
        }

        void varInt(int value) throws IOException {
            byte[] bytes = new byte[5];
            write(bytes, 0, ClickRows.varInt(bytes, 0, value));
        }

        void text(String text) throws IOException {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            varInt(utf8.length);
            write(utf8, 0, utf8.length);
        }

        void flush() throws IOException {
            out.write(buffer, 0, size);
            size = 0;
        }
    }

    /** Drops the first {@code rows} rows, {@code bytes} long (inserted): the rows after them move to the front. */
    public void dropFirst(int bytes, int rows) {
        lastInserted = bytes;
        System.arraycopy(buffer, bytes, buffer, 0, size - bytes);
        size -= bytes;
        count -= rows;
    }

    /**
     * Goes on in a copy of the buffer: an insert given up on (a timeout) may still be reading a slice of this one,
     * which must then stay as it was.
     */
    public void detach() {
        buffer = buffer.clone();
    }

    private void ensure(int capacity) {
        if (capacity > buffer.length) {
            buffer = Arrays.copyOf(buffer, grown(buffer.length, capacity, mostBytes));
        }
    }

    /**
     * The size a buffer of {@code capacity} bytes grows to for {@code needed}: doubled, but not past {@code most}
     * (the bytes the rows are expected to take); past that, by an eighth (rows longer than those before).
     */
    static int grown(int capacity, int needed, int most) {
        long target = needed <= most ? Math.min(2L * capacity, most) : capacity + capacity / 8L;
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, target));
    }

    private static int textBytes(ClickFields click) {
        int bytes = 0;
        for (Text text : TEXTS) {
            bytes += 5 + click.length(text);
        }
        return bytes;
    }

    private void text(ClickFields click, Text text) {
        int length = click.length(text);
        varInt(length);
        System.arraycopy(click.text(), click.at(text), buffer, size, length);
        size += length;
    }

    private void bytes(byte[] bytes) {
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    private void varInt(int value) {
        size = varInt(buffer, size, value);
    }

    /** Unsigned LEB128, as RowBinary writes lengths; returns the position after it. */
    private static int varInt(byte[] to, int at, int value) {
        while ((value & ~0x7F) != 0) {
            to[at++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        to[at++] = (byte) value;
        return at;
    }

    private void int16(int value) {
        buffer[size++] = (byte) value;
        buffer[size++] = (byte) (value >>> 8);
    }

    private void int32(int value) {
        int16(value);
        int16(value >>> 16);
    }

    private void int64(long value) {
        int32((int) value);
        int32((int) (value >>> 32));
    }

    /** A film's columns: title, category, rating (Strings) and length (UInt16). */
    private static byte[] filmColumns(FilmReference film) {
        byte[] text = strings(film.title(), film.category(), film.rating());
        byte[] columns = Arrays.copyOf(text, text.length + 2);
        columns[text.length] = (byte) film.length();
        columns[text.length + 1] = (byte) (film.length() >>> 8);
        return columns;
    }

    /** Consecutive String columns: each its length (unsigned LEB128) and its UTF-8 bytes. */
    private static byte[] strings(String... texts) {
        byte[] columns = new byte[0];
        int at = 0;
        for (String text : texts) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            columns = Arrays.copyOf(columns, at + 5 + utf8.length);
            at = varInt(columns, at, utf8.length);
            System.arraycopy(utf8, 0, columns, at, utf8.length);
            at += utf8.length;
        }
        return Arrays.copyOf(columns, at);
    }

    /** Film id to its columns, open addressing on ints: a lookup per click without boxing the id. */
    private static final class FilmColumns {
        private int[] ids = new int[2048];
        private byte[][] columns = new byte[2048][];
        private int size;

        byte[] get(int id) {
            int mask = ids.length - 1;
            for (int i = mix(id) & mask; columns[i] != null; i = (i + 1) & mask) {
                if (ids[i] == id) {
                    return columns[i];
                }
            }
            return null;
        }

        void put(int id, byte[] value) {
            if (2 * (size + 1) > ids.length) {
                int[] oldIds = ids;
                byte[][] oldColumns = columns;
                ids = new int[oldIds.length * 2];
                columns = new byte[oldIds.length * 2][];
                size = 0;
                for (int i = 0; i < oldIds.length; i++) {
                    if (oldColumns[i] != null) {
                        put(oldIds[i], oldColumns[i]);
                    }
                }
            }
            int mask = ids.length - 1;
            int i = mix(id) & mask;
            while (columns[i] != null) {
                i = (i + 1) & mask;
            }
            ids[i] = id;
            columns[i] = value;
            size++;
        }

        void clear() {
            Arrays.fill(columns, null);
            size = 0;
        }

        private static int mix(int id) {
            return id * 0x9E3779B9 >>> 7;
        }
    }
}

package io.dvdrental.pipelines.transforms.clicks;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The values of one valid click, as {@link ClickParser#read} leaves them for the row writer: numbers, and the text
 * fields as UTF-8 slices of {@link #text()} (the record's own bytes when the click was read straight from them). One
 * holder per thread, filled again for every click: a click costs no objects on the way to its row.
 */
public final class ClickFields {

    /** The text fields, in the order of the row's columns. */
    public enum Text { USER_ID, SESSION_ID, EVENT_TYPE, PAGE, DEVICE, REFERRER }

    private static final int TEXTS = Text.values().length;

    private byte[] text;
    private final int[] at = new int[TEXTS];
    private final int[] length = new int[TEXTS];
    private long eventIdHigh;
    private long eventIdLow;
    private long eventTsMillis;
    private int filmId;
    private int position;
    /** Where a click that was not read from its bytes keeps its encoded text. */
    private byte[] scratch = new byte[256];

    public byte[] text() {
        return text;
    }

    public int at(Text field) {
        return at[field.ordinal()];
    }

    public int length(Text field) {
        return length[field.ordinal()];
    }

    /** The high (most significant) half of the event id. */
    public long eventIdHigh() {
        return eventIdHigh;
    }

    public long eventIdLow() {
        return eventIdLow;
    }

    /** event_ts in milliseconds since the epoch (UTC). */
    public long eventTsMillis() {
        return eventTsMillis;
    }

    public int filmId() {
        return filmId;
    }

    public int position() {
        return position;
    }

    void readFrom(byte[] record) {
        text = record;
    }

    void slice(Text field, int from, int to) {
        at[field.ordinal()] = from;
        length[field.ordinal()] = to - from;
    }

    void numbers(long idHigh, long idLow, long tsMillis, int film, int pagePosition) {
        eventIdHigh = idHigh;
        eventIdLow = idLow;
        eventTsMillis = tsMillis;
        filmId = film;
        position = pagePosition;
    }

    /** Fills the holder from a parsed event (a click the byte pass left to the full parser). */
    public ClickFields set(ClickEvent event) {
        UUID id = UUID.fromString(event.eventId());
        numbers(id.getMostSignificantBits(), id.getLeastSignificantBits(), event.eventTs().toEpochMilli(),
                event.filmId(), event.position());
        String[] texts = {event.userId(), event.sessionId(), event.eventType(), event.page(), event.device(),
                event.referrer()};
        int size = 0;
        for (int i = 0; i < TEXTS; i++) {
            byte[] utf8 = texts[i].getBytes(StandardCharsets.UTF_8);
            if (size + utf8.length > scratch.length) {
                scratch = java.util.Arrays.copyOf(scratch, Math.max(scratch.length * 2, size + utf8.length));
            }
            System.arraycopy(utf8, 0, scratch, size, utf8.length);
            at[i] = size;
            length[i] = utf8.length;
            size += utf8.length;
        }
        text = scratch;
        return this;
    }
}

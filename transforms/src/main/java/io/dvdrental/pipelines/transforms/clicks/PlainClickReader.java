package io.dvdrental.pipelines.transforms.clicks;

import io.dvdrental.pipelines.transforms.clicks.ClickFields.Text;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a click straight from its bytes into {@link ClickFields} when its JSON is plain: an object of exactly the
 * contract's fields, each once, strings without escapes, integers in plain digits, valid values, a plausible time.
 * Anything else (escapes, extra or repeated fields, any doubt) is declined, and {@link ClickParser#parse} decides it
 * and words the reason. Accepts less than the parser does, never more, and reads the same values. Thread-safe.
 */
final class PlainClickReader {

    private static final byte[][] NAMES = {ascii("event_id"), ascii("event_ts"), ascii("user_id"),
            ascii("session_id"), ascii("film_id"), ascii("event_type"), ascii("page"), ascii("position"),
            ascii("device"), ascii("referrer")};
    private static final int EVENT_ID = 0;
    private static final int EVENT_TS = 1;
    private static final int USER_ID = 2;
    private static final int SESSION_ID = 3;
    private static final int FILM_ID = 4;
    private static final int EVENT_TYPE = 5;
    private static final int PAGE = 6;
    private static final int POSITION = 7;
    private static final int DEVICE = 8;
    private static final int REFERRER = 9;
    private static final int ALL = (1 << NAMES.length) - 1;

    private static final long EARLIEST_MILLIS = ClickParser.EARLIEST.toEpochMilli();
    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /** Each byte's value as a hexadecimal digit, -1 if it is none: a UUID's 32 digits without a branch each. */
    private static final int[] HEX = new int[256];

    static {
        Arrays.fill(HEX, -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = c - '0';
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = c - 'a' + 10;
            HEX[c - 'a' + 'A'] = c - 'a' + 10;
        }
    }

    private final byte[][] eventTypes;
    private final byte[][] devices;
    private final byte[][] referrers;
    private final int maxTextLength;
    private final int maxPosition;
    private final Clock clock;
    private final long maxClockSkewMillis;

    PlainClickReader(List<String> eventTypes, List<String> devices, List<String> referrers, int maxTextLength,
                     int maxPosition, Clock clock, Duration maxClockSkew) {
        this.eventTypes = eventTypes.stream().map(PlainClickReader::ascii).toArray(byte[][]::new);
        this.devices = devices.stream().map(PlainClickReader::ascii).toArray(byte[][]::new);
        this.referrers = referrers.stream().map(PlainClickReader::ascii).toArray(byte[][]::new);
        this.maxTextLength = maxTextLength;
        this.maxPosition = maxPosition;
        this.clock = clock;
        // Whole milliseconds: an event time (whole milliseconds) is within now + skew exactly when within this.
        this.maxClockSkewMillis = maxClockSkew.toMillis();
    }

    /** True when the click is valid and now in {@code into}; false when the parser must decide. */
    boolean read(byte[] v, ClickFields into) {
        int n = v.length;
        int i = space(v, 0);
        if (i >= n || v[i] != '{') {
            return false;
        }
        int seen = 0;
        long idHigh = 0;
        long idLow = 0;
        long ts = 0;
        int film = 0;
        int position = 0;
        do {
            i = space(v, i + 1);
            if (i >= n || v[i] != '"') {
                return false;
            }
            // The contract's next field, as producers write them, or any other.
            int field = Integer.numberOfTrailingZeros(~seen);
            int nameTo = field < NAMES.length ? i + 1 + NAMES[field].length : n;
            if (nameTo >= n || v[nameTo] != '"' || !same(v, i + 1, nameTo, NAMES[field])) {
                nameTo = i + 1;
                while (nameTo < n && v[nameTo] != '"') {
                    nameTo++; // an escape in the name makes a name unknown here
                }
                field = field(v, i + 1, nameTo);
            }
            if (field < 0 || (seen & 1 << field) != 0) {
                return false;
            }
            seen |= 1 << field;
            i = space(v, nameTo + 1);
            if (i >= n || v[i] != ':') {
                return false;
            }
            i = space(v, i + 1);
            if (field == FILM_ID || field == POSITION) {
                int to = digits(v, i);
                if (to < 0) {
                    return false;
                }
                long number = number(v, i, to);
                if (number > (field == FILM_ID ? Integer.MAX_VALUE : maxPosition)) {
                    return false;
                }
                if (field == FILM_ID) {
                    film = (int) number;
                } else {
                    position = (int) number;
                }
                i = to;
            } else {
                if (i >= n || v[i] != '"') {
                    return false;
                }
                int from = i + 1;
                // An id and a time have one length, and every byte of them is checked as they are read (no quote,
                // escape or control character passes): their closing quote is found by its place.
                int to = field == EVENT_ID ? closedAt(v, from + 36) : field == EVENT_TS ? closedAt(v, from + 23)
                        : string(v, from);
                if (to < 0) {
                    return false;
                }
                switch (field) {
                    case EVENT_ID -> {
                        // 8-4-4-4-12 hexadecimal digits, exactly, read in the same pass.
                        if (v[from + 8] != '-' || v[from + 13] != '-' || v[from + 18] != '-'
                                || v[from + 23] != '-') {
                            return false;
                        }
                        long a = hex(v, from, from + 8);
                        long b = hex(v, from + 9, from + 13);
                        long c = hex(v, from + 14, from + 18);
                        long d = hex(v, from + 19, from + 23);
                        long e = hex(v, from + 24, from + 36);
                        if ((a | b | c | d | e) < 0) {
                            return false;
                        }
                        idHigh = a << 32 | b << 16 | c;
                        idLow = d << 48 | e;
                    }
                    case EVENT_TS -> {
                        ts = millis(v, from, to);
                        if (ts == Long.MIN_VALUE) {
                            return false;
                        }
                    }
                    case USER_ID, SESSION_ID, PAGE -> {
                        // A character takes at least a byte per UTF-16 unit: within the limit in bytes, within it.
                        if (to == from || to - from > maxTextLength && utf16Units(v, from, to) > maxTextLength) {
                            return false;
                        }
                    }
                    case EVENT_TYPE -> {
                        if (!oneOf(v, from, to, eventTypes)) {
                            return false;
                        }
                    }
                    case DEVICE -> {
                        if (!oneOf(v, from, to, devices)) {
                            return false;
                        }
                    }
                    default -> {
                        if (!oneOf(v, from, to, referrers)) {
                            return false;
                        }
                    }
                }
                Text text = text(field);
                if (text != null) {
                    into.slice(text, from, to);
                }
                i = to + 1;
            }
            i = space(v, i);
        } while (i < n && v[i] == ',');
        if (i >= n || v[i] != '}' || space(v, i + 1) != n || seen != ALL) {
            return false;
        }
        // Plausible, or the parser words why not.
        if (ts < EARLIEST_MILLIS || ts > clock.millis() + maxClockSkewMillis) {
            return false;
        }
        into.readFrom(v);
        into.numbers(idHigh, idLow, ts, film, position);
        return true;
    }

    private static Text text(int field) {
        return switch (field) {
            case USER_ID -> Text.USER_ID;
            case SESSION_ID -> Text.SESSION_ID;
            case EVENT_TYPE -> Text.EVENT_TYPE;
            case PAGE -> Text.PAGE;
            case DEVICE -> Text.DEVICE;
            case REFERRER -> Text.REFERRER;
            default -> null;
        };
    }

    /** {@code at}, when a string's closing quote is there; else -1. */
    private static int closedAt(byte[] v, int at) {
        return at < v.length && v[at] == '"' ? at : -1;
    }

    /** JSON's whitespace. */
    private static int space(byte[] v, int i) {
        while (i < v.length && (v[i] == ' ' || v[i] == '\n' || v[i] == '\r' || v[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int field(byte[] v, int from, int to) {
        for (int k = 0; k < NAMES.length; k++) {
            if (same(v, from, to, NAMES[k])) {
                return k;
            }
        }
        return -1;
    }

    private static boolean same(byte[] v, int from, int to, byte[] name) {
        if (to - from != name.length) {
            return false;
        }
        for (int k = 0; k < name.length; k++) {
            if (v[from + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    /** The end of a positive integer of at most ten digits without a leading zero, or -1. */
    private static int digits(byte[] v, int from) {
        int i = from;
        if (i >= v.length || v[i] < '1' || v[i] > '9') {
            return -1;
        }
        while (i < v.length && v[i] >= '0' && v[i] <= '9') {
            i++;
        }
        return i - from > 10 ? -1 : i;
    }

    private static long number(byte[] v, int from, int to) {
        long number = 0;
        for (int i = from; i < to; i++) {
            number = number * 10 + (v[i] - '0');
        }
        return number;
    }

    /**
     * The closing quote of a string of well-formed UTF-8 without escapes or control characters, or -1. Well-formed as
     * the JDK's strict decoder has it: no overlong forms, no encoded surrogates, nothing beyond U+10FFFF.
     */
    private static int string(byte[] v, int i) {
        int n = v.length;
        while (i < n) {
            int b = v[i];
            if (b >= 0) {
                if (b == '"') {
                    return i;
                }
                if (b == '\\' || b < 0x20) {
                    return -1;
                }
                i++;
                continue;
            }
            int lead = b & 0xFF;
            int more;
            int low = 0x80;
            int high = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                more = 1;
            } else if (lead == 0xE0) {
                more = 2;
                low = 0xA0;
            } else if (lead == 0xED) {
                more = 2;
                high = 0x9F;
            } else if (lead >= 0xE1 && lead <= 0xEF) {
                more = 2;
            } else if (lead == 0xF0) {
                more = 3;
                low = 0x90;
            } else if (lead == 0xF4) {
                more = 3;
                high = 0x8F;
            } else if (lead >= 0xF1 && lead <= 0xF3) {
                more = 3;
            } else {
                return -1;
            }
            if (i + more >= n) {
                return -1;
            }
            int second = v[i + 1] & 0xFF;
            if (second < low || second > high) {
                return -1;
            }
            for (int k = 2; k <= more; k++) {
                int next = v[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return -1;
                }
            }
            i += more + 1;
        }
        return -1;
    }

    /** The length in UTF-16 units of well-formed UTF-8: one per character, two beyond U+FFFF. */
    private static int utf16Units(byte[] v, int from, int to) {
        int units = 0;
        for (int i = from; i < to; i++) {
            int b = v[i] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                units += b >= 0xF0 ? 2 : 1;
            }
        }
        return units;
    }

    private static boolean oneOf(byte[] v, int from, int to, byte[][] allowed) {
        for (byte[] value : allowed) {
            if (same(v, from, to, value)) {
                return true;
            }
        }
        return false;
    }

    /** Up to 12 hexadecimal digits as a number; -1 if one is not a hexadecimal digit. */
    private static long hex(byte[] v, int from, int to) {
        long value = 0;
        int invalid = 0;
        for (int i = from; i < to; i++) {
            int digit = HEX[v[i] & 0xFF];
            invalid |= digit;
            value = value << 4 | digit & 0xF;
        }
        return invalid < 0 ? -1 : value;
    }

    /** yyyy-MM-dd HH:mm:ss.SSS of a date and time that exist, in milliseconds since the epoch; else MIN_VALUE. */
    private static long millis(byte[] v, int from, int to) {
        if (to - from != 23 || v[from + 4] != '-' || v[from + 7] != '-' || v[from + 10] != ' '
                || v[from + 13] != ':' || v[from + 16] != ':' || v[from + 19] != '.') {
            return Long.MIN_VALUE;
        }
        int year = decimal(v, from, from + 4);
        int month = decimal(v, from + 5, from + 7);
        int day = decimal(v, from + 8, from + 10);
        int hour = decimal(v, from + 11, from + 13);
        int minute = decimal(v, from + 14, from + 16);
        int second = decimal(v, from + 17, from + 19);
        int milli = decimal(v, from + 20, from + 23);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || milli < 0) {
            return Long.MIN_VALUE;
        }
        boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        if (day > (month == 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) {
            return Long.MIN_VALUE;
        }
        return ((epochDay(year, month, day) * 24 + hour) * 60 + minute) * 60_000L + second * 1_000L + milli;
    }

    /** Digits as a number; -1 if one is not a digit. */
    private static int decimal(byte[] v, int from, int to) {
        int number = 0;
        for (int i = from; i < to; i++) {
            int c = v[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }

    /** As {@link java.time.LocalDate#toEpochDay()}, for a valid date of a year from 0 to 9999. */
    private static long epochDay(int year, int month, int day) {
        long total = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400
                + (367 * month - 362) / 12 + day - 1;
        if (month > 2) {
            boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
            total -= leap ? 1 : 2;
        }
        return total - 719_528; // days from 0000-01-01 to 1970-01-01
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

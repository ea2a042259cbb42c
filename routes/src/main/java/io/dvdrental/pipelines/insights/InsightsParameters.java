package io.dvdrental.pipelines.insights;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Parses and checks the API's query parameters before anything reaches SQL: every value the queries bind is a
 * number or a date made here, never the caller's text.
 */
public final class InsightsParameters {

    private final InsightsProperties props;

    public InsightsParameters(InsightsProperties props) {
        this.props = props;
    }

    public int limit(String raw) {
        return boundedInt("limit", raw, props.defaultLimit(), props.maxLimit());
    }

    public int minutes(String raw) {
        return boundedInt("minutes", raw, props.defaultMinutes(), props.maxMinutes());
    }

    /** The inclusive rental-date range; either end may be open. */
    public DateRange dates(String from, String to) {
        DateRange range = new DateRange(date("from", from), date("to", to));
        if (range.from() != null && range.to() != null && range.from().isAfter(range.to())) {
            throw new InvalidParameterException("to", "to (" + range.to() + ") is before from (" + range.from() + ")");
        }
        return range;
    }

    private static int boundedInt(String name, String raw, int defaultValue, int max) {
        if (raw == null) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name, name + " must be a whole number between 1 and " + max);
        }
        if (value < 1 || value > max) {
            throw new InvalidParameterException(name, name + " must be between 1 and " + max + ", got " + value);
        }
        return value;
    }

    private static LocalDate date(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(name, name + " must be a date like 2005-07-31");
        }
    }

    /** Rental dates from {@code from} to {@code to}, both inclusive; a null end is open. */
    public record DateRange(LocalDate from, LocalDate to) {
    }
}

package io.dvdrental.pipelines.producer.seed;

/** Takes one row's values in column order: String, Number, Boolean, LocalDateTime, LocalDate, String[] or null. */
@FunctionalInterface
public interface RowWriter {
    void row(Object... values);
}

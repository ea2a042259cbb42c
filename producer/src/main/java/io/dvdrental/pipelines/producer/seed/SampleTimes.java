package io.dvdrental.pipelines.producer.seed;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The sample's calendar: when rentals happened and when the reference rows were last touched. */
final class SampleTimes {

    static final LocalDateTime FIRST_RENTAL = LocalDateTime.of(2005, 5, 24, 22, 53, 30);
    static final LocalDateTime LAST_RENTAL = LocalDateTime.of(2006, 2, 14, 15, 16, 3);
    static final LocalDateTime REFERENCE_LAST_UPDATE = LocalDateTime.of(2006, 2, 15, 9, 45, 25);
    static final LocalDate CUSTOMER_CREATE_DATE = LocalDate.of(2006, 2, 14);

    static final long DAY_SECONDS = 86_400;

    private SampleTimes() {
    }

    static long epochSecond(LocalDateTime time) {
        return time.toEpochSecond(ZoneOffset.UTC);
    }

    static LocalDateTime at(long epochSecond) {
        return LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    }
}

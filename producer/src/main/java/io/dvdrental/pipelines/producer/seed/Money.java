package io.dvdrental.pipelines.producer.seed;

import java.math.BigDecimal;

/** Amounts are computed in cents and written as numeric(_,2). */
final class Money {

    private Money() {
    }

    static BigDecimal of(int cents) {
        return BigDecimal.valueOf(cents, 2);
    }
}

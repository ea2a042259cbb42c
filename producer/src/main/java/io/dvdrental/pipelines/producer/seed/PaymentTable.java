package io.dvdrental.pipelines.producer.seed;

import java.util.List;
import java.util.SplittableRandom;

import static io.dvdrental.pipelines.producer.seed.SampleTimes.DAY_SECONDS;
import static io.dvdrental.pipelines.producer.seed.SampleTimes.at;

/**
 * payment: about 91% of rentals are paid (14596 of 16044 in the sample), at return with $1 per late day,
 * or at the counter when the copy was never returned.
 */
final class PaymentTable {

    static final double PAID_SHARE = 14596.0 / 16044;
    private static final int LATE_FEE_CENTS_PER_DAY = 100;

    private PaymentTable() {
    }

    static void write(SeedPlan plan, FilmCatalog films, Inventory inventory, RentalLedger rentals, TableSink sink) {
        sink.load("payment", List.of("payment_id", "customer_id", "staff_id", "rental_id", "amount", "payment_date"),
                rows -> {
                    SplittableRandom random = Seeds.forTable(plan.seed(), "payment");
                    int paymentId = 0;
                    for (int i = 0; i < rentals.size(); i++) {
                        if (random.nextDouble() >= PAID_SHARE) {
                            continue;
                        }
                        int film = inventory.film(rentals.inventory()[i]) - 1;
                        int cents = films.rentalRateCents()[film];
                        long paidAt = rentals.rentalSecond()[i] + random.nextInt(600);
                        if (rentals.returned(i)) {
                            paidAt = rentals.returnSecond()[i];
                            long daysOut = (rentals.returnSecond()[i] - rentals.rentalSecond()[i] + DAY_SECONDS - 1)
                                    / DAY_SECONDS;
                            cents += LATE_FEE_CENTS_PER_DAY * (int) Math.max(0, daysOut - films.rentalDurationDays()[film]);
                        }
                        rows.row(++paymentId, rentals.customer()[i], 1 + random.nextInt(SeedPlan.STAFF), i + 1,
                                Money.of(cents), at(paidAt));
                    }
                });
    }
}

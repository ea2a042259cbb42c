package io.dvdrental.pipelines.producer.seed;

import io.dvdrental.pipelines.transforms.generate.WeightedSampler;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.dvdrental.pipelines.producer.seed.SampleTimes.DAY_SECONDS;
import static io.dvdrental.pipelines.producer.seed.SampleTimes.at;
import static io.dvdrental.pipelines.producer.seed.SampleTimes.epochSecond;

/**
 * rental, in time order: films are drawn by popularity and a copy is only rented while it is on the shelf.
 * About 1% of rentals are never returned; the others come back after 1 to 10 days.
 */
final class RentalTable {

    /** The sample has 183 of 16044 rentals not returned. */
    static final double UNRETURNED_SHARE = 183.0 / 16044;
    /** Draws of a film before falling back to any copy on the shelf. */
    private static final int FILM_TRIES = 8;

    private RentalTable() {
    }

    static RentalLedger write(SeedPlan plan, FilmCatalog films, Inventory inventory, TableSink sink) {
        RentalLedger ledger = plan(plan, films, inventory);
        sink.load("rental", List.of("rental_id", "rental_date", "inventory_id", "customer_id", "return_date",
                "staff_id", "last_update"), rows -> {
            SplittableRandom staff = Seeds.forTable(plan.seed(), "rental_staff");
            for (int i = 0; i < ledger.size(); i++) {
                long rented = ledger.rentalSecond()[i];
                long returned = ledger.returnSecond()[i];
                rows.row(i + 1, at(rented), ledger.inventory()[i], ledger.customer()[i],
                        ledger.returned(i) ? at(returned) : null, 1 + staff.nextInt(SeedPlan.STAFF),
                        at(Math.max(rented, returned)));
            }
        });
        return ledger;
    }

    static RentalLedger plan(SeedPlan plan, FilmCatalog films, Inventory inventory) {
        SplittableRandom random = Seeds.forTable(plan.seed(), "rental");
        int n = plan.rentals();
        long[] rentalSecond = rentalTimes(n, random);
        WeightedSampler filmSampler = new WeightedSampler(films.popularity());
        WeightedSampler customerSampler = new WeightedSampler(customerActivity(plan.customers(), random));
        long[] onShelfFrom = new long[inventory.size()];
        int[] customer = new int[n];
        int[] item = new int[n];
        long[] returnSecond = new long[n];
        for (int i = 0; i < n; i++) {
            long now = rentalSecond[i];
            item[i] = pickCopy(now, filmSampler, inventory, onShelfFrom, random);
            customer[i] = customerSampler.sample(random) + 1;
            boolean returned = random.nextDouble() >= UNRETURNED_SHARE;
            returnSecond[i] = returned ? now + DAY_SECONDS + random.nextLong(9 * DAY_SECONDS) : -1;
            onShelfFrom[item[i] - 1] = returned ? returnSecond[i] : Long.MAX_VALUE;
        }
        return new RentalLedger(customer, item, rentalSecond, returnSecond);
    }

    /** Sorted, distinct seconds spread over the sample's rental period, so rental ids follow time. */
    private static long[] rentalTimes(int n, SplittableRandom random) {
        long first = epochSecond(SampleTimes.FIRST_RENTAL);
        long span = epochSecond(SampleTimes.LAST_RENTAL) - first;
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = first + random.nextLong(span + 1);
        }
        Arrays.sort(times);
        for (int i = 1; i < n; i++) {
            times[i] = Math.max(times[i], times[i - 1] + 1);
        }
        return times;
    }

    /** Some customers rent much more than others, but everybody rents now and then. */
    private static double[] customerActivity(int customers, SplittableRandom random) {
        double[] weights = new double[customers];
        for (int c = 0; c < customers; c++) {
            weights[c] = 0.25 + random.nextDouble();
        }
        return weights;
    }

    private static int pickCopy(long now, WeightedSampler films, Inventory inventory, long[] onShelfFrom,
                                SplittableRandom random) {
        for (int attempt = 0; attempt < FILM_TRIES; attempt++) {
            int[] copies = inventory.itemsByFilm()[films.sample(random)];
            if (copies.length == 0) {
                continue;
            }
            int start = random.nextInt(copies.length);
            for (int k = 0; k < copies.length; k++) {
                int candidate = copies[(start + k) % copies.length];
                if (onShelfFrom[candidate - 1] <= now) {
                    return candidate;
                }
            }
        }
        int start = random.nextInt(inventory.size());
        for (int k = 0; k < inventory.size(); k++) {
            int candidate = (start + k) % inventory.size() + 1;
            if (onShelfFrom[candidate - 1] <= now) {
                return candidate;
            }
        }
        // Everything is out (only at tiny scales): rent a copy anyway rather than stall the calendar.
        return start + 1;
    }
}

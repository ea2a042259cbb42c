package io.dvdrental.pipelines.producer.seed;

import java.time.LocalDateTime;
import java.util.List;
import java.util.SplittableRandom;

import static io.dvdrental.pipelines.producer.seed.SampleTimes.REFERENCE_LAST_UPDATE;
import static io.dvdrental.pipelines.producer.seed.Vocabulary.pick;

/** staff, store and customer. Addresses 1-2 are the staff's, 3-4 the stores', then one per customer. */
final class PeopleTables {

    /** The sample has 15 of 599 customers inactive. */
    private static final double INACTIVE_SHARE = 15.0 / 599;
    private static final LocalDateTime CUSTOMER_LAST_UPDATE = LocalDateTime.of(2006, 2, 15, 9, 57, 20);

    private PeopleTables() {
    }

    static void write(SeedPlan plan, TableSink sink) {
        sink.load("staff", List.of("staff_id", "first_name", "last_name", "address_id", "email", "store_id", "active",
                "username", "password", "last_update"), rows -> {
            rows.row(1, "Mike", "Hillyer", 1, "Mike.Hillyer@sakilastaff.com", 1, true, "Mike",
                    "8cb2237d0679ca88db6464eac60da96345513964", REFERENCE_LAST_UPDATE);
            rows.row(2, "Jon", "Stephens", 2, "Jon.Stephens@sakilastaff.com", 2, true, "Jon",
                    "8cb2237d0679ca88db6464eac60da96345513964", REFERENCE_LAST_UPDATE);
        });
        sink.load("store", List.of("store_id", "manager_staff_id", "address_id", "last_update"), rows -> {
            for (int id = 1; id <= SeedPlan.STORES; id++) {
                rows.row(id, id, SeedPlan.STAFF + id, REFERENCE_LAST_UPDATE);
            }
        });
        sink.load("customer", List.of("customer_id", "store_id", "first_name", "last_name", "email", "address_id",
                "activebool", "create_date", "last_update", "active"), rows -> {
            SplittableRandom random = Seeds.forTable(plan.seed(), "customer");
            for (int id = 1; id <= plan.customers(); id++) {
                String first = pick(Vocabulary.FIRST_NAMES, random);
                String last = pick(Vocabulary.LAST_NAMES, random);
                rows.row(id, 1 + random.nextInt(SeedPlan.STORES), first, last,
                        first + "." + last + "@sakilacustomer.org", SeedPlan.NON_CUSTOMER_ADDRESSES + id, true,
                        SampleTimes.CUSTOMER_CREATE_DATE, CUSTOMER_LAST_UPDATE,
                        random.nextDouble() < INACTIVE_SHARE ? 0 : 1);
            }
        });
    }
}

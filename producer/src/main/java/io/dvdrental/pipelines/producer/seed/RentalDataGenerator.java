package io.dvdrental.pipelines.producer.seed;

/**
 * Generates a whole dvdrental source database from a seed and a scale, table by table in foreign-key order.
 * The same plan always gives the same rows: each table draws from its own seeded random stream.
 */
public final class RentalDataGenerator {

    private final SeedPlan plan;

    public RentalDataGenerator(SeedPlan plan) {
        this.plan = plan;
    }

    public SeedPlan plan() {
        return plan;
    }

    public void generate(TableSink sink) {
        GeographyTables.write(plan, sink);
        FilmCatalog films = CatalogTables.write(plan, sink);
        PeopleTables.write(plan, sink);
        Inventory inventory = InventoryTable.write(plan, films, sink);
        RentalLedger rentals = RentalTable.write(plan, films, inventory, sink);
        PaymentTable.write(plan, films, inventory, rentals, sink);
    }
}

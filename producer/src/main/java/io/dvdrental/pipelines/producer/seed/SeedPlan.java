package io.dvdrental.pipelines.producer.seed;

/**
 * How much to generate: the reference tables keep the sample's sizes, the activity tables grow linearly with
 * {@code scale} (1 = the size of the real sample).
 */
public record SeedPlan(long seed, double scale) {

    public static final int FILMS = 1000;
    public static final int CATEGORIES = 16;
    public static final int LANGUAGES = 6;
    public static final int ACTORS = 200;
    public static final int COUNTRIES = 109;
    public static final int CITIES = 600;
    public static final int STORES = 2;
    public static final int STAFF = 2;
    /** Addresses of the staff and the stores come first, then one per customer. */
    public static final int NON_CUSTOMER_ADDRESSES = STAFF + STORES;
    /** rental.customer_id, payment.customer_id and customer.address_id are smallint in the sample schema. */
    public static final int MAX_CUSTOMERS = Short.MAX_VALUE - NON_CUSTOMER_ADDRESSES;

    private static final int SAMPLE_CUSTOMERS = 599;
    private static final int SAMPLE_INVENTORY = 4581;
    private static final int SAMPLE_RENTALS = 16044;

    public SeedPlan {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be a positive number, got " + scale);
        }
    }

    public int customers() {
        return Math.min(MAX_CUSTOMERS, scaled(SAMPLE_CUSTOMERS));
    }

    public int addresses() {
        return NON_CUSTOMER_ADDRESSES + customers();
    }

    public int inventory() {
        return scaled(SAMPLE_INVENTORY);
    }

    public int rentals() {
        return scaled(SAMPLE_RENTALS);
    }

    private int scaled(int sampleCount) {
        return (int) Math.max(1, Math.round(sampleCount * scale));
    }
}

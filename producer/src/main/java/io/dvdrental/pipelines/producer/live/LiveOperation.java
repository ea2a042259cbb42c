package io.dvdrental.pipelines.producer.live;

/** The kinds of change live mode makes to the source, with how often each is chosen. */
public enum LiveOperation {
    /** A new open rental of a copy on the shelf. */
    RENTAL(0.40),
    /** Sets return_date on one of the oldest open rentals. */
    RETURN(0.30),
    /** Pays the newest unpaid rental. */
    PAYMENT(0.20),
    /** A customer moves: customer.address_id changes and the trigger bumps last_update. */
    ADDRESS_CHANGE(0.10);

    final double weight;

    LiveOperation(double weight) {
        this.weight = weight;
    }
}

package io.dvdrental.pipelines.producer.seed;

/** The generated rentals in a compact form, indexed by rental_id - 1; returnSecond is -1 while not returned. */
record RentalLedger(int[] customer, int[] inventory, long[] rentalSecond, long[] returnSecond) {

    int size() {
        return customer.length;
    }

    boolean returned(int index) {
        return returnSecond[index] >= 0;
    }
}

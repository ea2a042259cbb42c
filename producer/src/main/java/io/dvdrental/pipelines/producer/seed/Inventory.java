package io.dvdrental.pipelines.producer.seed;

/** The copies on the shelves: {@code itemsByFilm[film_id - 1]} lists that film's inventory ids. */
record Inventory(int[] filmOfItem, int[][] itemsByFilm) {

    int size() {
        return filmOfItem.length;
    }

    int film(int inventoryId) {
        return filmOfItem[inventoryId - 1];
    }
}

package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.clicks.Rejection;

/**
 * A polled record the click contract refuses: the original key and bytes, where it was read, and why. A letter too
 * large for Kafka carries no bytes but where its original was put ({@code originalLocation}, {@code originalSize}).
 */
public record DeadLetter(ClickPartition source, long offset, String key, byte[] value, Rejection rejection,
                         String originalLocation, long originalSize) {

    public static DeadLetter of(ClickPartition source, long offset, String key, byte[] value, Rejection rejection) {
        // A record without a value (a tombstone) is a dead letter too.
        return new DeadLetter(source, offset, key, value, rejection, null, value == null ? 0 : value.length);
    }

    /** The same letter without its bytes, pointing at where they are kept. */
    public DeadLetter keptAt(String location) {
        return new DeadLetter(source, offset, key, new byte[0], rejection, location, originalSize);
    }
}

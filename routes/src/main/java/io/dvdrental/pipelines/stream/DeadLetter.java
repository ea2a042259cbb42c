package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.clicks.Rejection;

/** A polled record the click contract refuses: the original key and bytes, where it was read, and why. */
public record DeadLetter(String topic, int partition, long offset, String key, byte[] value, Rejection rejection) {
}

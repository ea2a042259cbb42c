package io.dvdrental.pipelines.producer;

import java.util.concurrent.atomic.AtomicBoolean;

/** Turns Ctrl-C into a flag the long-running commands poll, so they can finish cleanly and print a summary. */
final class Interruption {

    private final AtomicBoolean requested = new AtomicBoolean();
    private final Thread main = Thread.currentThread();

    Interruption() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            requested.set(true);
            try {
                main.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "producer-shutdown"));
    }

    boolean requested() {
        return requested.get();
    }
}

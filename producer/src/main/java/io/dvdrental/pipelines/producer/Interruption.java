package io.dvdrental.pipelines.producer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C into a flag the long-running commands poll, and holds the JVM until the command has wound down
 * (at most 10 s), so it can flush and print its summary. Close it when the command is done.
 */
final class Interruption implements AutoCloseable {

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    Interruption() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            requested.set(true);
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "producer-shutdown"));
    }

    boolean requested() {
        return requested.get();
    }

    @Override
    public void close() {
        finished.countDown();
    }
}

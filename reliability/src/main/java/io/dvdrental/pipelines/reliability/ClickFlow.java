package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.producer.clicks.ClickPublisher;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A background stream of tagged valid clicks into Kafka at a steady rate, until {@code max} are sent or it is
 * stopped. Sends are acks=all and idempotent ({@link ClickPublisher}); {@link #finish()} waits for every ack, so
 * its answer is the number of clicks Kafka has.
 */
public final class ClickFlow implements AutoCloseable {

    private final ClickPublisher publisher;
    private final TaggedClicks clicks;
    private final double ratePerSecond;
    private final long max;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;

    public ClickFlow(String brokers, String topic, TaggedClicks clicks, double ratePerSecond, long max) {
        this.publisher = new ClickPublisher(brokers, topic);
        this.clicks = clicks;
        this.ratePerSecond = ratePerSecond;
        this.max = max;
        this.thread = new Thread(this::run, "click-flow-" + clicks.tag());
    }

    public ClickFlow start() {
        thread.start();
        return this;
    }

    private void run() {
        long started = System.nanoTime();
        try {
            while (!stop.get() && sent.get() < max) {
                long due = started + (long) (sent.get() * 1e9 / ratePerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                publisher.send(clicks.next());
                sent.incrementAndGet();
            }
        } catch (Exception e) {
            failure.set(e);
        }
    }

    public long sent() {
        return sent.get();
    }

    public boolean done() {
        return !thread.isAlive();
    }

    /** Waits until all {@code max} are sent. */
    public void awaitSent() throws InterruptedException {
        thread.join();
    }

    /** Stops sending, waits for every ack and returns how many clicks Kafka acknowledged. */
    public long finish() throws InterruptedException {
        stop.set(true);
        thread.join();
        publisher.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("Producing clicks failed after " + sent.get() + ": "
                    + failure.get().getMessage(), failure.get());
        }
        return sent.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join();
        publisher.close();
    }
}

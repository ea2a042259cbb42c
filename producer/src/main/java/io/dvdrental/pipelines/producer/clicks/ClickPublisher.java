package io.dvdrental.pipelines.producer.clicks;

import io.dvdrental.pipelines.transforms.generate.ClickGenerator;

import io.dvdrental.pipelines.transforms.generate.Click;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Sends clicks to a Kafka topic: acks=all with idempotence, batched and compressed for throughput. Rate-limited
 * runs pace the sends evenly; a rate of 0 sends as fast as the broker takes them.
 */
public final class ClickPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public ClickPublisher(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, Map.of());
    }

    /** {@code overrides} replace or add producer settings. */
    public ClickPublisher(String bootstrapServers, String topic, Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "dvd-click-producer");
        props.putAll(overrides);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    public void send(Click click) {
        producer.send(new ProducerRecord<>(topic, click.key(), click.value()), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
        throwIfFailed();
    }

    /**
     * Sends from {@code generator} until {@code count} events are sent (when positive), {@code duration} has passed
     * (when not null) or {@code stop} says so, at {@code ratePerSecond} (0 = unthrottled); waits for every ack.
     */
    public PublishSummary publish(ClickGenerator generator, long count, Duration duration, double ratePerSecond,
                                  BooleanSupplier stop) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = duration == null ? Long.MAX_VALUE : started + duration.toNanos();
        long sent = 0;
        long malformed = 0;
        while ((count <= 0 || sent < count) && System.nanoTime() < deadline && !stop.getAsBoolean()) {
            if (ratePerSecond > 0) {
                long due = started + (long) (sent * 1e9 / ratePerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            Click click = generator.next();
            send(click);
            sent++;
            if (click.malformed()) {
                malformed++;
            }
        }
        flush();
        return new PublishSummary(sent, malformed, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Waits until everything sent so far is acknowledged; fails if any send failed. */
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    private void throwIfFailed() {
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("Sending clicks to " + topic + " failed: " + error.getMessage(), error);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}

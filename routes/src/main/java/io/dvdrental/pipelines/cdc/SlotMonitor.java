package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.batch.BatchProperties;
import io.dvdrental.pipelines.capture.ReplicationSlot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the replication slot every {@code dvd.cdc.lag.sample-interval} (capture on only): its lag in bytes (WAL the
 * source keeps for it) and in seconds (since bronze last held everything the source had), as the gauges
 * {@code dvd.cdc.slot.lag.bytes} and {@code dvd.cdc.slot.lag.seconds} (NaN while unknown), for health and
 * {@code /api/pipelines}.
 */
@Component
public class SlotMonitor {

    /** The last sample: the slot as read (empty when it does not exist), how far behind, or why it is unknown. */
    public record Lag(Optional<ReplicationSlot> slot, Duration behind, Instant sampledAt, String error) {

        public boolean known() {
            return error == null && slot.isPresent();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SlotMonitor.class);

    private final CaptureProperties properties;
    private final DataSource source;
    private final Clock clock = Clock.systemUTC();
    private final LagClock lagClock = new LagClock();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "cdc-slot-monitor");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Lag latest;

    public SlotMonitor(CaptureProperties properties, BatchProperties batch,
                       @Qualifier("sourceDataSource") DataSource source, MeterRegistry meters) {
        this.properties = properties;
        this.source = source;
        this.latest = new Lag(Optional.empty(), Duration.ZERO, clock.instant(), "not sampled yet");
        Gauge.builder("dvd.cdc.slot.lag.bytes", this, m -> m.latest.known() ? m.latest.slot().get().lagBytes()
                : Double.NaN).description("WAL the source keeps for the capture's slot that bronze does not hold")
                .baseUnit("bytes").register(meters);
        Gauge.builder("dvd.cdc.slot.lag.seconds", this, m -> m.latest.known() ? m.latest.behind().toMillis() / 1000.0
                : Double.NaN).description("time since bronze held everything the source had").baseUnit("seconds")
                .register(meters);
        if (batch.capture() == BatchProperties.Capture.CDC) {
            long every = properties.lag().sampleInterval().toMillis();
            sampler.scheduleWithFixedDelay(this::sample, 0, every, TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        sampler.shutdownNow();
    }

    public Lag latest() {
        return latest;
    }

    /** Reads the slot now (also what the schedule does). */
    public synchronized Lag sample() {
        Instant now = clock.instant();
        try (Connection c = source.getConnection()) {
            Optional<ReplicationSlot> slot = ReplicationSlot.read(c, properties.slot());
            long current = slot.map(ReplicationSlot::currentLsn).orElseGet(() -> currentLsn(c));
            lagClock.observe(now, current);
            latest = new Lag(slot, slot.map(s -> lagClock.behind(s.confirmedLsn(), now)).orElse(Duration.ZERO), now,
                    null);
        } catch (Exception e) {
            LOG.debug("Cannot read replication slot {}: {}", properties.slot(), e.getMessage());
            latest = new Lag(Optional.empty(), Duration.ZERO, now, "cannot read the slot: " + e.getMessage());
        }
        return latest;
    }

    private static long currentLsn(Connection c) {
        try {
            return ReplicationSlot.currentLsn(c);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.capture.CaptureStatus;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Health contributor {@code cdc}, part of readiness: UP while bronze keeps up with the source; WARNING (still ready,
 * HTTP 200) when the slot's lag passes {@code dvd.cdc.lag.warn-*}, when the capture is restarting after a failure,
 * or when it waits for a resnapshot (with the way out); DOWN only past {@code dvd.cdc.lag.down-*}. UP with
 * {@code mode: cursor} while capture is off.
 */
@Component("cdc")
public class CaptureHealthIndicator implements HealthIndicator {

    /** Ready, but an operator should look. */
    public static final Status WARNING = new Status("WARNING");

    private final CaptureOperations operations;
    private final CaptureProperties properties;
    private final SlotMonitor monitor;

    public CaptureHealthIndicator(CaptureOperations operations, CaptureProperties properties, SlotMonitor monitor) {
        this.operations = operations;
        this.properties = properties;
        this.monitor = monitor;
    }

    @Override
    public Health health() {
        if (!operations.on()) {
            return Health.up().withDetail("mode", "cursor").build();
        }
        Map<String, Object> status = operations.captureStatus();
        CaptureStatus.State state = operations.status().orElseThrow().state();
        SlotMonitor.Lag lag = monitor.latest();
        CaptureProperties.Lag limits = properties.lag();
        Health.Builder health;
        if (lag.known() && (lag.behind().toSeconds() >= limits.downSeconds()
                || lag.slot().get().lagBytes() >= limits.downBytes())) {
            health = Health.down();
        } else if (state == CaptureStatus.State.NEEDS_RESNAPSHOT || state == CaptureStatus.State.BACKING_OFF
                || lag.known() && (lag.behind().toSeconds() >= limits.warnSeconds()
                || lag.slot().get().lagBytes() >= limits.warnBytes())) {
            health = Health.status(WARNING);
        } else {
            health = Health.up();
        }
        return health.withDetails(status).build();
    }
}

package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.batch.BatchProperties;
import io.dvdrental.pipelines.capture.CaptureComponent;
import io.dvdrental.pipelines.capture.CaptureEndpoint;
import io.dvdrental.pipelines.capture.CaptureStatus;
import io.dvdrental.pipelines.capture.CaptureStore;
import io.dvdrental.pipelines.capture.ReplicationSlot;
import io.dvdrental.pipelines.insights.CaptureStatusSource;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an operator does with the capture, and what the server does for them: drop the slot (WAL cannot pile up for a
 * capture that is off or broken), resnapshot (a new generation from a new snapshot, the way out of a lost slot), and
 * the capture's status for {@code /api/pipelines}. Switching capture off drops the slot at start-up.
 */
@Component
public class CaptureOperations implements CaptureStatusSource {

    /** The operation needs capture on ({@code dvd.batch.capture=cdc}). */
    public static class CaptureOffException extends RuntimeException {
        CaptureOffException(String message) {
            super(message);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CaptureOperations.class);
    private static final String WAY_OUT = "POST /api/cdc/resnapshot (operator) takes a new snapshot";

    private final boolean on;
    private final CaptureProperties properties;
    private final CaptureStore store;
    private final DataSource source;
    private final CamelContext camel;
    private final SlotMonitor monitor;

    public CaptureOperations(BatchProperties batch, CaptureProperties properties, CaptureStore store,
                             @Qualifier("sourceDataSource") DataSource source, CamelContext camel,
                             SlotMonitor monitor) {
        this.on = batch.capture() == BatchProperties.Capture.CDC;
        this.properties = properties;
        this.store = store;
        this.source = source;
        this.camel = camel;
        this.monitor = monitor;
    }

    public boolean on() {
        return on;
    }

    /** Capture off: a slot left from when it was on would keep WAL for ever. */
    @EventListener(ApplicationReadyEvent.class)
    public void dropSlotWhileOff() {
        if (on) {
            return;
        }
        try {
            if (slot().isPresent()) {
                dropSlot("capture is off (dvd.batch.capture=cursor)");
            }
        } catch (Exception e) {
            LOG.warn("Capture is off but replication slot {} could not be checked or dropped: {}", properties.slot(),
                    e.getMessage());
        }
    }

    /**
     * Drops the slot. With capture on, the capture stops reading first and then waits for a resnapshot: its stored
     * offsets point into WAL that is no longer kept.
     */
    public synchronized Map<String, Object> dropSlot(String why) throws Exception {
        boolean dropped;
        if (on) {
            camel.getRouteController().stopRoute(CaptureRoute.ROUTE_ID);
            try {
                dropped = dropWhenInactive();
            } finally {
                camel.getRouteController().startRoute(CaptureRoute.ROUTE_ID);
            }
        } else {
            dropped = dropWhenInactive();
            store.reset(why);
        }
        LOG.warn("Replication slot {} {}: {}", properties.slot(), dropped ? "dropped" : "was not there", why);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("slot", properties.slot());
        answer.put("dropped", dropped);
        answer.put("reason", why);
        if (on) {
            answer.put("next", WAY_OUT);
        }
        return answer;
    }

    /** Forgets the capture's position and takes a new snapshot in a new generation. */
    public synchronized Map<String, Object> resnapshot(String why) throws Exception {
        if (!on) {
            throw new CaptureOffException("capture is off (dvd.batch.capture=cursor): there is nothing to resnapshot");
        }
        camel.getRouteController().stopRoute(CaptureRoute.ROUTE_ID);
        try {
            dropWhenInactive();
            store.reset(why);
        } finally {
            camel.getRouteController().startRoute(CaptureRoute.ROUTE_ID);
        }
        CaptureStore.State state = store.state();
        LOG.warn("Capture {} resnapshots in generation {}: {}", properties.captureName(), state.generation(), why);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("generation", state.generation());
        answer.put("reason", why);
        return answer;
    }

    public Optional<ReplicationSlot> slot() throws SQLException {
        try (Connection c = source.getConnection()) {
            return ReplicationSlot.read(c, properties.slot());
        }
    }

    /** The capture's own view (state, error, counters); empty while capture is off. */
    public Optional<CaptureStatus.View> status() {
        if (!on) {
            return Optional.empty();
        }
        return Optional.of(camel.getEndpoint(CaptureComponent.uri(properties.captureName()), CaptureEndpoint.class)
                .status().view());
    }

    @Override
    public Map<String, Object> captureStatus() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("mode", on ? "cdc" : "cursor");
        if (!on) {
            return answer;
        }
        CaptureStatus.View view = status().orElseThrow();
        answer.put("state", view.state().name());
        answer.put("since", view.since());
        answer.put("error", view.error());
        if (view.state() == CaptureStatus.State.NEEDS_RESNAPSHOT) {
            answer.put("wayOut", WAY_OUT);
        }
        answer.put("restarts", view.restarts());
        answer.put("changes", view.changes());
        answer.put("lastChangeCommittedAt", view.lastChangeCommittedAt());
        answer.put("lastBatchAt", view.lastBatchAt());
        try {
            answer.put("generation", store.state().generation());
        } catch (RuntimeException e) {
            answer.put("generation", null);
        }
        SlotMonitor.Lag lag = monitor.latest();
        Map<String, Object> slot = new LinkedHashMap<>();
        slot.put("name", properties.slot());
        slot.put("exists", lag.slot().isPresent());
        lag.slot().ifPresent(s -> {
            slot.put("active", s.active());
            slot.put("walStatus", s.walStatus());
            slot.put("confirmedLsn", ReplicationSlot.format(s.confirmedLsn()));
        });
        slot.put("lagBytes", lag.known() ? lag.slot().get().lagBytes() : null);
        slot.put("lagSeconds", lag.known() ? lag.behind().toSeconds() : null);
        slot.put("sampledAt", lag.sampledAt());
        if (lag.error() != null) {
            slot.put("error", lag.error());
        }
        answer.put("slot", slot);
        return answer;
    }

    /** The engine lets go of the slot shortly after its route stopped; a slot read by someone else is refused. */
    private boolean dropWhenInactive() throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Connection c = source.getConnection()) {
                Optional<ReplicationSlot> slot = ReplicationSlot.read(c, properties.slot());
                if (slot.isEmpty()) {
                    return false;
                }
                if (!slot.get().active()) {
                    return ReplicationSlot.drop(c, properties.slot());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replication slot " + properties.slot() + " is still read by "
                        + "another process after 30 s; not dropped");
            }
            Thread.sleep(200);
        }
    }
}

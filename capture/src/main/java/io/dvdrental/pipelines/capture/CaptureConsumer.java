package io.dvdrental.pipelines.capture;

import io.debezium.embedded.Connect;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debezium's embedded engine for one capture and hands each batch of changes to the route as one exchange
 * (body: the list of {@link ChangeRecord}s, in commit order). A batch is marked processed, and the engine's offset
 * moves, only after the exchange completed without error and only as far as the route stored it (see
 * {@link CaptureConstants#PENDING}). A failed exchange or engine stops the engine; it is started again after a
 * back-off and resumes from the last stored offset. A slot that cannot serve the stored offset is never papered
 * over by a new snapshot: the capture waits for an operator's resnapshot ({@link CaptureStatus.State#NEEDS_RESNAPSHOT}).
 */
final class CaptureConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureConsumer.class);

    private final CaptureSettings settings;
    private final CaptureStatus status;
    private ExecutorService engineThread;
    private ScheduledExecutorService restarts;
    private volatile DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
    private volatile boolean stopping;
    /** Held while an engine is handed to its thread and while the consumer starts stopping: never one after a stop. */
    private final Object handOver = new Object();
    private Duration backoff;
    /** Only touched by the engine's thread. */
    private BatchHandler batches;

    CaptureConsumer(CaptureEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.settings = endpoint.settings();
        this.status = endpoint.status();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stopping = false;
        backoff = settings.backoff();
        StateOffsetBackingStore.register(settings.name(), settings.store());
        engineThread = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "cdc-engine-" + settings.name());
        restarts = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "cdc-restart-" + settings.name());
        LOG.info("Capture {} consumer starting", settings.name());
        restarts.execute(this::launch);
    }

    @Override
    protected void doStop() throws Exception {
        LOG.info("Capture {} consumer stopping", settings.name());
        synchronized (handOver) {
            stopping = true;
        }
        getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(restarts);
        closeEngine();
        getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(engineThread, 30_000);
        StateOffsetBackingStore.unregister(settings.name());
        if (status.state() != CaptureStatus.State.NEEDS_RESNAPSHOT) {
            status.moveTo(CaptureStatus.State.STOPPED);
        }
        super.doStop();
    }

    private void launch() {
        if (stopping) {
            return;
        }
        status.moveTo(CaptureStatus.State.STARTING);
        try {
            CaptureStore.State state = settings.store().state();
            boolean resuming = !settings.store().loadOffsets().isEmpty();
            Optional<String> blocked = slotProblem(resuming);
            if (blocked.isPresent()) {
                LOG.error("Capture {} cannot start: {}", settings.name(), blocked.get());
                status.failed(CaptureStatus.State.NEEDS_RESNAPSHOT, blocked.get());
                return;
            }
            batches = new BatchHandler(this, state.generation(), state.snapshotLsn());
            DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> built = DebeziumEngine.create(Connect.class)
                    .using(settings.engineProperties())
                    .using(CaptureConsumer.class.getClassLoader())
                    .notifying(batches)
                    .using(this::engineEnded)
                    .build();
            synchronized (handOver) {
                // A stop that came while the engine was built: it must not run, for nobody would close it (it
                // would capture into the route as it was, beside the engine of the consumer started next).
                if (stopping) {
                    built.close();
                    return;
                }
                engine = built;
                engineThread.execute(built);
            }
            LOG.info("Capture {} started (generation {}, {})", settings.name(), state.generation(),
                    resuming ? "resuming from the stored offsets" : "initial snapshot first");
        } catch (Exception | LinkageError e) {
            // A linkage error (a clash of library versions) must be as visible as any other failure.
            LOG.error("Capture {} cannot start its engine", settings.name(), e);
            engineFailed("cannot start the engine: " + rootMessage(e));
        }
    }

    /** Why the slot cannot serve this start, if it cannot. */
    private Optional<String> slotProblem(boolean resuming) throws Exception {
        try (Connection source = settings.sourceAdmin().getConnection()) {
            Optional<ReplicationSlot> slot = ReplicationSlot.read(source, settings.slot());
            if (slot.isPresent() && slot.get().lost()) {
                return Optional.of("replication slot " + settings.slot() + " is invalidated (wal_status = lost): "
                        + "PostgreSQL removed WAL it still needed, so changes were lost. The way out is a resnapshot "
                        + "(POST /api/cdc/resnapshot)");
            }
            if (slot.isEmpty() && resuming) {
                return Optional.of("replication slot " + settings.slot() + " does not exist but stored offsets "
                        + "remain: changes made while it was gone cannot be read. The way out is a resnapshot "
                        + "(POST /api/cdc/resnapshot)");
            }
            return Optional.empty();
        }
    }

    private void engineEnded(boolean success, String message, Throwable error) {
        if (stopping) {
            return;
        }
        engineFailed(error != null ? rootMessage(error) : "the engine stopped: " + message);
    }

    private void engineFailed(String why) {
        if (stopping) {
            return;
        }
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                : backoff.multipliedBy(2);
        LOG.warn("Capture {} failed: {}; starting again in {} ms from the stored offsets", settings.name(), why,
                wait.toMillis());
        status.failed(CaptureStatus.State.BACKING_OFF, why);
        try {
            restarts.schedule(() -> {
                closeEngine();
                status.restarted();
                launch();
            }, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // The consumer is stopping.
        }
    }

    private void closeEngine() {
        DebeziumEngine<?> running = engine;
        engine = null;
        if (running != null) {
            try {
                running.close();
            } catch (Exception e) {
                // A failed engine has shut itself down already.
                LOG.debug("Closing the engine of capture {}: {}", settings.name(), e.getMessage());
            }
        }
    }

    /** One exchange for the changes of a batch; throws when the route failed, which stops the engine. */
    int deliver(List<ChangeRecord> changes, String generation) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(changes);
            exchange.setProperty(CaptureConstants.GENERATION, generation);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw new IllegalStateException("the route failed on " + changes.size() + " changes: "
                        + rootMessage(exchange.getException()), exchange.getException());
            }
            int pending = exchange.getProperty(CaptureConstants.PENDING, 0, Integer.class);
            if (pending < 0 || pending > changes.size()) {
                throw new IllegalStateException("the route left " + pending + " of " + changes.size()
                        + " changes pending");
            }
            int stored = changes.size() - pending;
            status.delivered(stored, stored == 0 ? null : changes.get(stored - 1).committedAt());
            backoff = settings.backoff();
            return stored;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the route failed on " + changes.size() + " changes: " + rootMessage(e), e);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    void snapshotTaken(long lsn) {
        settings.store().snapshotTaken(lsn);
    }

    void reading(boolean snapshot) {
        status.moveTo(snapshot ? CaptureStatus.State.SNAPSHOT : CaptureStatus.State.STREAMING);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }

    /**
     * The engine's batches: maps them, prepends what the route left pending last time, delivers, and marks the
     * engine's records processed in order up to the first change that is still pending.
     */
    static final class BatchHandler implements DebeziumEngine.ChangeConsumer<ChangeEvent<SourceRecord, SourceRecord>> {

        private final CaptureConsumer consumer;
        private final String generation;
        private final ChangeRecordMapper mapper;
        private List<ChangeRecord> pending = List.of();
        /** The snapshot LSN as the store knows it: the first streamed transaction's commit LSN falls back on it. */
        private long recordedSnapshotLsn;

        BatchHandler(CaptureConsumer consumer, String generation, long snapshotLsn) {
            this.consumer = consumer;
            this.generation = generation;
            this.mapper = new ChangeRecordMapper(snapshotLsn);
            this.recordedSnapshotLsn = snapshotLsn;
        }

        @Override
        public void handleBatch(List<ChangeEvent<SourceRecord, SourceRecord>> records,
                                DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer)
                throws InterruptedException {
            List<ChangeRecord> changes = new ArrayList<>(pending);
            int[] changesUpTo = new int[records.size()];
            for (int i = 0; i < records.size(); i++) {
                mapper.map(records.get(i).value()).ifPresent(changes::add);
                changesUpTo[i] = changes.size();
            }
            if (!records.isEmpty()) {
                consumer.reading(inSnapshot(records.get(records.size() - 1).value()));
            }
            int stored = changes.isEmpty() ? 0 : consumer.deliver(List.copyOf(changes), generation);
            pending = List.copyOf(changes.subList(stored, changes.size()));
            if (mapper.snapshotLsn() != recordedSnapshotLsn) {
                consumer.snapshotTaken(mapper.snapshotLsn());
                recordedSnapshotLsn = mapper.snapshotLsn();
            }
            // Heartbeats after a pending change are not marked either: their offset lies beyond it.
            for (int i = 0; i < records.size() && changesUpTo[i] <= stored; i++) {
                committer.markProcessed(records.get(i));
            }
            committer.markBatchFinished();
        }

        /** The engine's offset says whether the initial snapshot is still being read. */
        private static boolean inSnapshot(SourceRecord record) {
            java.util.Map<String, ?> offset = record.sourceOffset();
            return offset != null && offset.containsKey("snapshot")
                    && !Boolean.TRUE.equals(offset.get("snapshot_completed"));
        }
    }
}

package io.dvdrental.pipelines.warehouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

import java.net.ConnectException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The warehouse's schema: the migrations, then the tables the pipelines make themselves ({@link PipelineTables}).
 * Applied at start-up when ClickHouse answers, as before any route runs. When it does not (a cluster restart, the
 * warehouse still booting), the server starts anyway, readiness says DOWN with the reason (this indicator is in the
 * readiness group), and the schema is applied as soon as ClickHouse answers, tried every {@value #RETRY_SECONDS} s.
 * A migration changed after it was applied still stops the start.
 */
@Component("warehouseSchema")
public class WarehouseSchema implements InitializingBean, DisposableBean, HealthIndicator {

    static final long RETRY_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseSchema.class);

    private final WarehouseMigrations migrations;
    private final List<PipelineTables> tables;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "warehouse-schema");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean applied;
    private volatile String notApplied = "not applied yet";

    public WarehouseSchema(WarehouseMigrations migrations, List<PipelineTables> tables) {
        this.migrations = migrations;
        this.tables = tables;
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        try {
            apply();
        } catch (RuntimeException e) {
            if (!unreachable(e)) {
                throw e;
            }
            away(e);
            retries.scheduleWithFixedDelay(this::retry, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void apply() throws Exception {
        migrations.migrate();
        tables.forEach(t -> t.apply(migrations.ddl()));
        applied = true;
    }

    private void retry() {
        if (applied) {
            return;
        }
        try {
            apply();
            LOG.info("ClickHouse answers: the warehouse migrations and tables are applied");
            retries.shutdown();
        } catch (Exception e) {
            if (unreachable(e)) {
                away(e);
            } else {
                // Not a connection problem: it would fail the same way again; stay not ready and say why.
                notApplied = "the warehouse migrations failed: " + e.getMessage();
                LOG.error("Warehouse schema not applied, the server stays not ready", e);
                retries.shutdown();
            }
        }
    }

    private void away(Exception e) {
        notApplied = "ClickHouse does not answer (" + rootMessage(e) + "); the warehouse migrations run once it does";
        LOG.warn("Warehouse schema not applied: {}", notApplied);
    }

    @Override
    public Health health() {
        return applied ? Health.up().build() : Health.down().withDetail("reason", notApplied).build();
    }

    /** ClickHouse did not answer at all (as opposed to answering with an error). */
    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof SQLTransientConnectionException
                    || t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void destroy() {
        retries.shutdownNow();
    }
}

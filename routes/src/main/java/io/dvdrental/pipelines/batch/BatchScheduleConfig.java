package io.dvdrental.pipelines.batch;

import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * camel-quartz on a clustered JDBC job store in the state database (tables from V2__quartz_tables.sql): every replica
 * runs a scheduler, and the database lock lets exactly one of them fire each trigger. The job store gets the
 * server's own state pool through Quartz's connection manager.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "dvd.batch.schedule.enabled", havingValue = "true", matchIfMissing = true)
public class BatchScheduleConfig {

    private static final Logger LOG = LoggerFactory.getLogger(BatchScheduleConfig.class);

    static final String DATA_SOURCE = "dvdState";
    /**
     * The cluster's name, the same on every replica. It changed with the job data's format (text since migration
     * V6, Java serialization before, under the name "dvd-batch"): replicas of the two formats never read each
     * other's rows during a rolling update, and V6 deletes the old rows.
     */
    static final String SCHEDULER = "dvd-batch-v2";

    @Bean("quartz")
    public QuartzComponent quartz(@Qualifier("stateDataSource") DataSource state, BatchProperties batch) {
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return state.getConnection();
            }

            @Override
            public void shutdown() {
                // The pool belongs to Spring.
            }

            @Override
            public void initialize() {
                // Already initialized by Spring.
            }
        });
        Map<String, Object> quartz = new HashMap<>();
        quartz.put("org.quartz.scheduler.instanceName", SCHEDULER);
        quartz.put("org.quartz.scheduler.instanceId", "AUTO");
        quartz.put("org.quartz.threadPool.threadCount", "2");
        quartz.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        quartz.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        quartz.put("org.quartz.jobStore.dataSource", DATA_SOURCE);
        quartz.put("org.quartz.jobStore.tablePrefix", "QRTZ_");
        // Job data as text properties, never Java serialization: every replica reads what the others wrote, and a
        // crafted serialized row in the shared database would run code on each of them.
        quartz.put("org.quartz.jobStore.useProperties", "true");
        quartz.put("org.quartz.jobStore.isClustered", "true");
        quartz.put("org.quartz.jobStore.clusterCheckinInterval", "10000");
        quartz.put("org.quartz.jobStore.misfireThreshold", "60000");
        QuartzComponent component = new QuartzComponent();
        component.setProperties(quartz);
        // The scheduler name must be the same on every replica for them to form one cluster.
        component.setPrefixInstanceName(false);
        if (batch.capture() != BatchProperties.Capture.CDC) {
            // The job store outlives the server: the capture's schedule, stored while capture was on, would go on
            // starting the whole chain every minute. Removed before the scheduler starts.
            component.addScheduleInitTask(scheduler -> {
                if (scheduler.deleteJob(BatchScheduleRoutes.CDC_SCHEDULE_JOB)) {
                    LOG.info("Capture is off: removed its schedule {}", BatchScheduleRoutes.CDC_SCHEDULE_JOB);
                }
            });
        }
        return component;
    }
}

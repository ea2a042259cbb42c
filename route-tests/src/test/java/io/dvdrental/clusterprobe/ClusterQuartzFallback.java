package io.dvdrental.clusterprobe;

import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.Map;

/**
 * The clustered Quartz set-up of the batch pipeline (a "quartz" component on a JDBC job store in the state
 * database), for as long as the server itself does not define it: when the server has its own "quartz" bean,
 * that one is what the cluster test runs.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterQuartzFallback {

    private static final String DATA_SOURCE = "dvdState";

    @Bean("quartz")
    @ConditionalOnMissingBean(name = "quartz")
    public QuartzComponent quartz(@Qualifier("stateDataSource") DataSource state) {
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws java.sql.SQLException {
                return state.getConnection();
            }

            @Override
            public void shutdown() {
            }

            @Override
            public void initialize() {
            }
        });
        QuartzComponent component = new QuartzComponent();
        component.setProperties(Map.of(
                "org.quartz.scheduler.instanceName", "dvd-batch",
                "org.quartz.scheduler.instanceId", "AUTO",
                "org.quartz.threadPool.threadCount", "2",
                "org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX",
                "org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate",
                "org.quartz.jobStore.dataSource", DATA_SOURCE,
                "org.quartz.jobStore.isClustered", "true",
                "org.quartz.jobStore.clusterCheckinInterval", "10000"));
        component.setPrefixInstanceName(false);
        return component;
    }
}

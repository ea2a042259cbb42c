package io.dvdrental.clusterprobe;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A schedule every 2 s that writes which node fired which trigger time into the state database. Outside the
 * server's packages so that only {@link ClusterNode} loads it.
 */
@Component
public class ClusterProbeRoute extends RouteBuilder {

    @Value("${dvd.cluster-probe.node}")
    String node;

    @Override
    public void configure() {
        from("quartz://cluster-probe/every-2s?cron=0/2+*+*+*+*+?")
                .routeId("cluster-probe")
                .setHeader("node", constant(node))
                .setHeader("scheduledAt", simple("${header.scheduledFireTime.time}", Long.class))
                .to("sql:INSERT INTO cluster_probe_fire (node, scheduled_at) VALUES (:#node, :#scheduledAt)"
                        + "?dataSource=#stateDataSource");
    }
}

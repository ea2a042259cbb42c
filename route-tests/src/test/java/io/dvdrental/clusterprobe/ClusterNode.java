package io.dvdrental.clusterprobe;

import io.dvdrental.pipelines.DvdPipelinesApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** One replica of the server, in its own JVM (as a pod), with the cluster probe schedule added. */
public final class ClusterNode {

    private ClusterNode() {
    }

    public static void main(String[] args) {
        new SpringApplicationBuilder(DvdPipelinesApplication.class, ClusterProbeRoute.class)
                .run(args);
    }
}

package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.stream.ClickIngestRoute;
import io.dvdrental.pipelines.stream.StreamTestSupport;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.support.TestServices;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.dvdrental.pipelines.services.ServerLaunch;
import io.dvdrental.pipelines.services.StackConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.net.URI;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fast scenarios of the reliability harness (reliability/run.sh) on the server under test and the real test
 * services: the same scenario code, CI sizes. The long ones (server kills, 60 s outages, 1M clicks, SF=10 batch
 * crash) run only in the harness.
 */
@RealServicesTest
class ReliabilityFastScenariosTest {

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camel;
    @Value("${dvd.kafka.brokers}")
    String brokers;
    @Value("${dvd.warehouse.url}")
    String warehouseUrl;
    @Value("${dvd.source.url}")
    String sourceUrl;
    @Autowired
    @org.springframework.beans.factory.annotation.Qualifier("warehouseJdbcTemplate")
    org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate warehouse;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate state;
    @Value("${dvd.security.viewer-user:}")
    String viewerUser;
    @Value("${dvd.security.viewer-password:}")
    String viewerPassword;

    private Target target() {
        Credentials viewer = viewerUser.isBlank() ? null : new Credentials(viewerUser, viewerPassword);
        return new Target(new ServerApi(URI.create("http://127.0.0.1:" + port)),
                new Credentials(TestServices.ADMIN_USER, TestServices.ADMIN_PASSWORD), viewer, brokers,
                Warehouse.fromJdbcUrl(warehouseUrl), sourceUrl, TestServices.localStack(), Optional.empty(),
                Optional.of(this::replica), Target.StreamNames.defaults());
    }

    private static void assertPassed(ScenarioResult result) {
        System.out.println("[reliability] " + result.scenario() + " " + result.verdict() + ": " + result.measured());
        assertThat(result.passed()).as(result.measured()).isTrue();
    }

    @Test
    void whatNeedsTheOperatorIsRefusedToEveryoneElse() throws Exception {
        assertPassed(new AccessScenario().run(target(), true));
    }

    @Test
    void everyHostileClickEndsInTheDeadLetterTopicAndEveryValidOneIsStoredOnce() throws Exception {
        Target target = startStream();
        assertPassed(new BadInputScenario().run(target, true));
    }

    @Test
    void aShortClickHouseOutageLosesNothingDoublesNothingAndShowsNotReady() throws Exception {
        Target target = startStream();
        assumeTrue(target.services().isPresent(), "ClickHouse can be stopped only when it is a local process");
        assertPassed(ServiceOutageScenario.clickhouse().run(target, true));
    }

    @Test
    void badSourceRowsAreQuarantinedAndTheRunStaysGreen() throws Exception {
        Target target = target();
        assumeTrue(target.batch().present(), "the batch pipeline is not in this build");
        // Bronze and the watermarks may hold another source's rows from an earlier test class (the real sample):
        // start from an empty warehouse, as the batch tests do, so reconciliation compares this source only.
        io.dvdrental.pipelines.batch.BatchTestSupport.resetWarehouseAndState(warehouse.getJdbcTemplate(), state);
        assertPassed(new BadSourceRowsScenario().run(target, true));
    }

    @Test
    void aShortPostgresOutageEndsTheBatchRunAndTheNextRunCatchesUp() throws Exception {
        Target target = target();
        assumeTrue(target.services().isPresent(), "PostgreSQL can be stopped only when it is a local process");
        assumeTrue(target.batch().present(), "the batch pipeline is not in this build");
        io.dvdrental.pipelines.batch.BatchTestSupport.resetWarehouseAndState(warehouse.getJdbcTemplate(), state);
        assertPassed(new PostgresOutageScenario().run(target, true));
    }

    @Test
    void replicasJoiningDyingAndFreezingOnOneGroupLoseNothingAndDoubleNothing() throws Exception {
        Target target = startStream();
        assertPassed(new ReplicasScenario().run(target, true));
    }

    /**
     * Another server beside the one under test: the exec jar the routes module built, as ./dvd server start runs it,
     * on the same services and consumer group (its log under route-tests/target).
     */
    private ServerProcess replica(String name) throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Map<String, String> env = new HashMap<>();
        TestServices.properties().forEach((key, value) -> env.put(StackConfig.environmentName(key), value));
        int replicaPort = ServerProcess.freePort();
        env.put("SERVER_PORT", String.valueOf(replicaPort));
        env.put("DVD_STREAM_PRODUCER_ENABLED", "false");
        // What these replicas show is what is stored, not how fast: C1 alone starts them in less of the cores the
        // other test JVM shares (as QuartzClusterTest's nodes).
        env.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1");
        return new ServerProcess(ServerLaunch.of(ServerProcess.findJar(root), root), env,
                root.resolve("route-tests/target/replica-" + name + ".log"),
                new ServerApi(URI.create("http://127.0.0.1:" + replicaPort)));
    }

    /**
     * The test profile leaves the ingest route stopped until a test starts it. The scenarios compare the views with
     * the raw table over the minutes of their run, so they start on empty stream tables, as on a stack of their own:
     * rows another test class wrote straight into the views (InsightsFixture's clicks of the current minute) would
     * count as this run's.
     */
    private Target startStream() throws Exception {
        Target target = target();
        assumeTrue(streamPresent(target), "the streaming pipeline is not in this build");
        for (String table : StreamTestSupport.CLICK_TABLES) {
            warehouse.getJdbcTemplate().execute("TRUNCATE TABLE " + table);
        }
        camel.getRouteController().startRoute(ClickIngestRoute.ROUTE_ID);
        return target;
    }

    private boolean streamPresent(Target target) throws IOException {
        return camel.getRoute(ClickIngestRoute.ROUTE_ID) != null
                && target.warehouse().tableExists(target.stream().database(), target.stream().clicksTable());
    }
}

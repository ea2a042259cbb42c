package io.dvdrental.pipelines.production;

import io.dvdrental.clusterprobe.ClusterNode;
import io.dvdrental.pipelines.support.TestServices;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.quartz.JobDataMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of the server (two JVMs, as two pods) on one PostgreSQL with the server's clustered Quartz job
 * store, both running a schedule every 2 s that records which node fired which trigger time.
 * Every trigger time fires on one node only; when the node that is firing stops (SIGTERM, as in a rollout), the
 * other one carries on within the cluster check-in interval. The job store keeps job data as text, never as
 * Java serialization, and the replicas upgrade a job store that the previous release wrote serialized.
 */
class QuartzClusterTest {

    /** org.quartz.jobStore.clusterCheckinInterval of the server's Quartz set-up. */
    private static final Duration CHECKIN = Duration.ofSeconds(10);
    /** The scheduler name and the last state migration of the release that stored job data serialized. */
    private static final String PREVIOUS_SCHEDULER = "dvd-batch";
    private static final String LAST_VERSION_WITH_SERIALIZED_JOB_DATA = "3";
    private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    private final List<Process> nodes = new ArrayList<>();
    private JdbcTemplate admin;
    private String database;

    @Test
    void aScheduleFiresOnOneReplicaAndTheOtherTakesOverWhenItStops() throws Exception {
        Map<String, String> services = TestServices.properties();
        String stateUrl = createClusterDatabase(services);
        JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(stateUrl,
                services.get("dvd.state.username"), services.getOrDefault("dvd.state.password", "")));

        Process a = startNode("a", services, stateUrl);
        Process b = startNode("b", services, stateUrl);
        Awaitility.await("both replicas checked in to the Quartz cluster").atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    assertAlive(a, "a");
                    assertAlive(b, "b");
                    return db.queryForObject("SELECT count(*) FROM qrtz_scheduler_state", Integer.class) == 2;
                });
        long bothInCluster = System.currentTimeMillis();
        Awaitility.await("five fires with both replicas up").atMost(Duration.ofSeconds(60))
                .until(() -> fires(db, bothInCluster) >= 5);

        String firing = db.queryForObject("SELECT node FROM cluster_probe_fire ORDER BY scheduled_at DESC LIMIT 1", String.class);
        Process stopping = firing.equals("a") ? a : b;
        String other = firing.equals("a") ? "b" : "a";
        stopping.destroy();
        assertThat(stopping.waitFor(60, TimeUnit.SECONDS)).as("node %s stopped on SIGTERM", firing).isTrue();
        long stopped = System.currentTimeMillis();

        Awaitility.await("node " + other + " fires after " + firing + " stopped")
                .atMost(CHECKIN.multipliedBy(2).plusSeconds(10))
                .until(() -> db.queryForObject("SELECT count(*) FROM cluster_probe_fire WHERE node = ? AND scheduled_at > ?",
                        Integer.class, other, stopped) >= 2);

        assertThat(db.queryForList("SELECT scheduled_at, count(*) AS fired FROM cluster_probe_fire "
                + "GROUP BY scheduled_at HAVING count(*) > 1")).as("trigger times fired more than once").isEmpty();
        assertThat(db.queryForObject("SELECT count(*) FROM cluster_probe_fire WHERE node = ? AND scheduled_at > ?",
                Integer.class, firing, stopped)).as("fires of the stopped node").isZero();
        theJobStoreHoldsJobDataAsText(db);
    }

    /**
     * Every replica reads the job data the others wrote. Stored as Java serialization, a row that someone with write
     * access to the database crafted would be deserialized by every replica (a gadget chain runs code); stored as
     * text properties (org.quartz.jobStore.useProperties), it is only ever parsed as text.
     */
    private static void theJobStoreHoldsJobDataAsText(JdbcTemplate db) {
        List<byte[]> jobData = new ArrayList<>(db.queryForList("SELECT job_data FROM qrtz_job_details", byte[].class));
        jobData.addAll(db.queryForList("SELECT job_data FROM qrtz_triggers WHERE job_data IS NOT NULL", byte[].class));
        assertThat(jobData).as("job data of the schedules").isNotEmpty();
        for (byte[] data : jobData) {
            assertThat(data.length >= 2 && (data[0] & 0xff) == 0xac && (data[1] & 0xff) == 0xed)
                    .as("a Java serialization stream in the job store: %s", new String(data, StandardCharsets.ISO_8859_1))
                    .isFalse();
        }
        String probeJob = new String(db.queryForObject("SELECT job_data FROM qrtz_job_details WHERE job_group = "
                + "'cluster-probe'", byte[].class), StandardCharsets.ISO_8859_1);
        assertThat(probeJob).as("the probe's job data, as text").contains("CamelQuartzEndpoint=");
    }

    @AfterEach
    void stopNodesAndDropTheDatabase() throws InterruptedException {
        for (Process node : nodes) {
            node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (admin != null && database != null) {
            admin.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** A database of its own, migrated as the server would, with the Quartz tables. */
    private String createClusterDatabase(Map<String, String> services) throws IOException {
        String user = services.get("dvd.state.username");
        String password = services.getOrDefault("dvd.state.password", "");
        String stateUrl = services.get("dvd.state.url");
        admin = new JdbcTemplate(new DriverManagerDataSource(stateUrl, user, password));
        database = "quartz_cluster_" + RUN;
        admin.execute("CREATE DATABASE " + database);
        String url = stateUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        // The state database as the release before job data became text left it; the replicas migrate the rest.
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/state")
                .failOnMissingLocations(false).target(LAST_VERSION_WITH_SERIALIZED_JOB_DATA).load().migrate();
        JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(url, user, password));
        if (db.queryForObject("SELECT to_regclass('qrtz_job_details') IS NULL", Boolean.class)) {
            try (InputStream ddl = org.quartz.Scheduler.class.getResourceAsStream("/org/quartz/impl/jdbcjobstore/tables_postgres.sql")) {
                db.execute(new String(ddl.readAllBytes(), StandardCharsets.UTF_8).replace("commit;", ""));
            }
        }
        scheduledByThePreviousRelease(db);
        db.execute("CREATE TABLE cluster_probe_fire (node text NOT NULL, scheduled_at bigint NOT NULL, "
                + "recorded_at timestamptz NOT NULL DEFAULT now())");
        return url;
    }

    /**
     * The probe's job and trigger as the previous release's scheduler ({@value #PREVIOUS_SCHEDULER}) stored them: its
     * job data as Java serialization. The upgraded replicas must still fire the schedule, and leave no such row.
     */
    private static void scheduledByThePreviousRelease(JdbcTemplate db) throws IOException {
        JobDataMap data = new JobDataMap(Map.of("CamelQuartzCamelContextName", "dvd-pipelines",
                "CamelQuartzEndpoint", "quartz://cluster-probe/every-2s?cron=0/2+*+*+*+*+?",
                "CamelQuartzTriggerType", "cron", "CamelQuartzTriggerCronExpression", "0/2 * * * * ?"));
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
            out.writeObject(data);
        }
        long now = System.currentTimeMillis();
        db.update("INSERT INTO qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, "
                + "is_nonconcurrent, is_update_data, requests_recovery, job_data) VALUES (?, 'every-2s', "
                + "'cluster-probe', 'org.apache.camel.component.quartz.CamelJob', false, false, false, false, ?)",
                PREVIOUS_SCHEDULER, serialized.toByteArray());
        db.update("INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, "
                + "next_fire_time, prev_fire_time, priority, trigger_state, trigger_type, start_time, end_time, "
                + "misfire_instr) VALUES (?, 'every-2s', 'cluster-probe', 'every-2s', 'cluster-probe', ?, -1, 5, "
                + "'WAITING', 'CRON', ?, 0, 0)", PREVIOUS_SCHEDULER, now + 2_000, now);
        db.update("INSERT INTO qrtz_cron_triggers (sched_name, trigger_name, trigger_group, cron_expression, "
                + "time_zone_id) VALUES (?, 'every-2s', 'cluster-probe', '0/2 * * * * ?', 'UTC')", PREVIOUS_SCHEDULER);
    }

    private Process startNode(String name, Map<String, String> services, String stateUrl) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx448m", "-XX:TieredStopAtLevel=1", "-cp", testClasspath(), ClusterNode.class.getName()));
        services.forEach((k, v) -> {
            if (!k.equals("dvd.state.url")) {
                cmd.add("--" + k + "=" + v);
            }
        });
        cmd.addAll(List.of("--dvd.state.url=" + stateUrl,
                "--spring.profiles.active=test",
                // The test profile keeps the batch schedules off; the cluster needs the scheduler on.
                "--dvd.batch.schedule.enabled=true",
                "--dvd.cluster-probe.node=" + name,
                "--server.port=0",
                "--logging.level.org.quartz=INFO"));
        Path log = Path.of("target", "quartz-cluster-node-" + name + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        nodes.add(process);
        return process;
    }

    private static int fires(JdbcTemplate db, long since) {
        return db.queryForObject("SELECT count(*) FROM cluster_probe_fire WHERE scheduled_at >= ?", Integer.class, since);
    }

    private static void assertAlive(Process node, String name) throws IOException {
        if (!node.isAlive()) {
            throw new AssertionError("node " + name + " exited; see "
                    + Path.of("target", "quartz-cluster-node-" + name + ".log").toAbsolutePath() + ":\n"
                    + tail(Path.of("target", "quartz-cluster-node-" + name + ".log")));
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Surefire's full test classpath (its own java.class.path is a manifest-only jar). */
    private static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .replace(" ", File.pathSeparator).strip();
    }
}

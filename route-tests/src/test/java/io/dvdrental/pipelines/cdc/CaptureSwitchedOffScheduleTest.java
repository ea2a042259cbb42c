package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.DvdPipelinesApplication;
import io.dvdrental.pipelines.support.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server switched from change capture back to the cursor on the same state database: the clustered Quartz job
 * store outlives the server, and the capture's minute schedule stored there must not go on starting the whole chain.
 * The server is started twice in this JVM, first with capture on, then off, on a state database of this test's own.
 * The capture route itself is left out (no slot, no snapshot into the shared warehouse): only its schedule matters.
 */
class CaptureSwitchedOffScheduleTest {

    private static final String NEVER = "0 0 3 1 1 ? 2099";

    private JdbcTemplate admin;
    private String database;

    @Test
    void aServerInCursorModeRemovesTheCaptureSchedule() {
        Map<String, String> services = TestServices.properties();
        String stateUrl = createStateDatabase(services);
        JdbcTemplate state = new JdbcTemplate(new DriverManagerDataSource(stateUrl,
                services.get("dvd.state.username"), services.getOrDefault("dvd.state.password", "")));
        Map<String, String> props = new HashMap<>(services);
        props.putAll(Map.of("dvd.state.url", stateUrl, "server.port", "0", "camel.main.jmx-enabled", "false",
                "spring.jmx.enabled", "false", "dvd.batch.schedule.enabled", "true",
                // Stored, never fired during the test.
                "dvd.batch.schedule.cdc-cron", NEVER, "dvd.batch.schedule.daily-cron", NEVER,
                "dvd.batch.schedule.dim-date-cron", NEVER,
                "camel.main.java-routes-exclude-pattern", "**/CaptureRoute*"));
        props.putAll(Map.of("dvd.cdc.capture-name", "dvdrental_switch", "dvd.cdc.slot", "dvd_cdc_switch",
                "dvd.cdc.publication", "dvd_cdc_switch"));

        props.put("dvd.batch.capture", "cdc");
        try (ConfigurableApplicationContext ignored = start(props)) {
            assertThat(schedules(state)).as("schedules with capture on").contains("batch.cdc", "batch.daily");
        }
        props.put("dvd.batch.capture", "cursor");
        try (ConfigurableApplicationContext ignored = start(props)) {
            assertThat(schedules(state)).as("schedules with capture off").contains("batch.daily")
                    .doesNotContain("batch.cdc");
        }
    }

    /** Arguments, not default properties: these win over the test profile's (which keeps the schedules off). */
    private static ConfigurableApplicationContext start(Map<String, String> props) {
        return new SpringApplicationBuilder(DvdPipelinesApplication.class).profiles("test")
                .run(props.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
    }

    /** The triggers in the job store, as group.name. */
    private static List<String> schedules(JdbcTemplate state) {
        return state.queryForList("SELECT trigger_group || '.' || trigger_name FROM qrtz_triggers", String.class);
    }

    /** An empty database beside the test stack's state database; the server migrates it. */
    private String createStateDatabase(Map<String, String> services) {
        String stateUrl = services.get("dvd.state.url");
        admin = new JdbcTemplate(new DriverManagerDataSource(stateUrl, services.get("dvd.state.username"),
                services.getOrDefault("dvd.state.password", "")));
        database = "capture_switch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        admin.execute("CREATE DATABASE " + database);
        return stateUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    }

    @AfterEach
    void dropTheDatabase() {
        if (admin != null && database != null) {
            admin.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}

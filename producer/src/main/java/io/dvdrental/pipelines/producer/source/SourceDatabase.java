package io.dvdrental.pipelines.producer.source;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.util.Objects;

/** Where the source PostgreSQL database is and how to log in; the password may be null (trust auth locally). */
public record SourceDatabase(String url, String username, String password) {

    public SourceDatabase {
        Objects.requireNonNull(url, "source JDBC url (DVD_SOURCE_URL)");
        Objects.requireNonNull(username, "source user (DVD_SOURCE_USERNAME)");
    }

    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(username);
        if (password != null && !password.isEmpty()) {
            dataSource.setPassword(password);
        }
        return dataSource;
    }
}

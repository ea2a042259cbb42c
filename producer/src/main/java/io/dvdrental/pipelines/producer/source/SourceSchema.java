package io.dvdrental.pipelines.producer.source;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;

/** Creates or upgrades the dvdrental source schema with the Flyway migrations under {@code db/source}. */
public final class SourceSchema {

    public static final String LOCATION = "classpath:db/source";

    private SourceSchema() {
    }

    /** Applies the pending migrations; returns how many ran (0 when the schema is current). */
    public static int migrate(DataSource dataSource) {
        MigrateResult result = Flyway.configure(SourceSchema.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .schemas("public")
                // A database restored from the real sample has the schema but no history: take it as version 1.
                .baselineOnMigrate(true)
                .baselineVersion("1")
                .load()
                .migrate();
        return result.migrationsExecuted;
    }

    public static int migrate(String url, String username, String password) {
        return migrate(new SourceDatabase(url, username, password).dataSource());
    }
}

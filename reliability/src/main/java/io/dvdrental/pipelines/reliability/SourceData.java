package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.producer.seed.SeedPlan;
import io.dvdrental.pipelines.producer.seed.SeedReport;
import io.dvdrental.pipelines.producer.seed.SourceSeeder;
import io.dvdrental.pipelines.producer.source.SourceSchema;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The source database (dvdrental) as the harness prepares it: schema, seeded at a scale factor. */
public final class SourceData {

    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

    public SourceData(String url, String user, String password) {
        dataSource.setUrl(url);
        dataSource.setUser(user);
        if (password != null && !password.isEmpty()) {
            dataSource.setPassword(password);
        }
    }

    public PGSimpleDataSource dataSource() {
        return dataSource;
    }

    /** Seeds the source at {@code scale} unless it already holds exactly that plan's rentals; returns what it did. */
    public String ensureSeeded(double scale) throws SQLException {
        SourceSchema.migrate(dataSource);
        SeedPlan plan = new SeedPlan(42, scale);
        long rentals = count("SELECT count(*) FROM public.rental");
        if (rentals >= plan.rentals() && rentals <= plan.rentals() + 1_000) {
            return "source already seeded (" + rentals + " rentals)";
        }
        SeedReport report = SourceSeeder.seed(dataSource, plan, SourceSeeder.WhenNotEmpty.REPLACE);
        return "source seeded at SF=" + scale + " (" + report.totalRows() + " rows in " + report.elapsed().toSeconds()
                + " s)";
    }

    public long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void execute(String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}

package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.batch.SourceTables;

import io.dvdrental.pipelines.transforms.batch.SourceTable;

import io.dvdrental.pipelines.transforms.batch.ModelGraph;

import io.dvdrental.pipelines.transforms.batch.Model;

import com.zaxxer.hikari.HikariDataSource;
import io.dvdrental.pipelines.config.ConnectionProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The batch pipeline's building blocks: the source-table specs, the model graph and the extract connections. */
@Configuration(proxyBeanMethods = false)
public class BatchConfig {

    @Bean
    public SourceTables sourceTables() {
        return SourceTables.load();
    }

    /**
     * Every {@code models/<layer>/<name>.sql} on the classpath (the transforms module), its placeholders filled in
     * ({@link SourceTables#render}), ordered by its upstreams.
     */
    @Bean
    public ModelGraph modelGraph(SourceTables tables) {
        try {
            List<Model> models = new ArrayList<>();
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:models/*/*.sql")) {
                models.add(Model.parse(r.getURL().getPath(), tables.render(r.getContentAsString(StandardCharsets.UTF_8))));
            }
            return new ModelGraph(models, tables.tables().stream().map(SourceTable::bronzeTable).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the warehouse models", e);
        }
    }

    /** Read-only source connections for extraction: one per table extracted in parallel, each running one COPY. */
    @Bean(destroyMethod = "close")
    public HikariDataSource extractDataSource(ConnectionProperties connections, BatchProperties batch) {
        HikariDataSource ds = new HikariDataSource();
        ds.setPoolName("extract");
        ds.setJdbcUrl(connections.source().url());
        ds.setUsername(connections.source().username());
        ds.setPassword(connections.source().password() == null ? "" : connections.source().password());
        ds.setAutoCommit(false);
        ds.setReadOnly(true);
        ds.setMaximumPoolSize(batch.parallelism() + 1);
        ds.setMinimumIdle(0);
        ds.setInitializationFailTimeout(-1);
        return ds;
    }
}

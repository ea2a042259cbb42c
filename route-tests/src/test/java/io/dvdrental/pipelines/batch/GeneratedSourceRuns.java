package io.dvdrental.pipelines.batch;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import javax.sql.DataSource;

/**
 * Tests of what runs after a full run on the generated source: the server's API, its state database, the warehouse
 * and the source, and {@link #startFromAFullRun}.
 */
abstract class GeneratedSourceRuns {

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate state;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouseTemplate;
    @Autowired
    @Qualifier("sourceDataSource")
    DataSource sourceDataSource;

    JdbcTemplate warehouse;
    JdbcTemplate source;

    /** An empty warehouse and run state, the source generated afresh from {@code seed}, and a full run over it. */
    void startFromAFullRun(long seed) throws Exception {
        warehouse = warehouseTemplate.getJdbcTemplate();
        source = new JdbcTemplate(sourceDataSource);
        BatchTestSupport.fullRunOnGenerated(http, warehouse, state, sourceDataSource, seed);
    }
}

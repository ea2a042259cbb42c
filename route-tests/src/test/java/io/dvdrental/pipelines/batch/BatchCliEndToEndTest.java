package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.producer.seed.SeedPlan;
import io.dvdrental.pipelines.producer.seed.SourceSeeder;
import io.dvdrental.pipelines.producer.source.SourceSchema;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.transforms.batch.ModelGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static io.dvdrental.pipelines.batch.BatchTestSupport.runAndWait;
import static io.dvdrental.pipelines.batch.BatchTestSupport.steps;
import static org.assertj.core.api.Assertions.assertThat;

/** The batch run answer on the whole server and the real services: the step total a follower counts towards. */
@RealServicesTest
class BatchCliEndToEndTest {

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate state;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;
    @Autowired
    @Qualifier("sourceDataSource")
    DataSource sourceDataSource;
    @Autowired
    ModelGraph graph;

    private static boolean seeded;

    @BeforeEach
    void seedSmallSourceOnce() throws Exception {
        if (!seeded) {
            BatchTestSupport.resetWarehouseAndState(warehouse.getJdbcTemplate(), state);
            SourceSchema.migrate(sourceDataSource);
            SourceSeeder.seed(sourceDataSource, new SeedPlan(11, 0.05), SourceSeeder.WhenNotEmpty.REPLACE);
            seeded = true;
        }
    }

    @Test
    void theRunAnswerTellsHowManyStepsTheRunHas() {
        Map<String, Object> full = runAndWait(http, Map.of("mode", "full"));
        assertThat(full.get("state")).as("run error: %s", full.get("error")).isEqualTo("SUCCEEDED");
        // 15 extracts, quarantine, every model, quality, the dim_film export
        assertThat(full.get("stepsTotal")).isEqualTo(15 + 1 + graph.order().size() + 1 + 1)
                .isEqualTo(steps(full).size());

        Map<String, Object> dimDate = runAndWait(http, Map.of("scope", "dim_date"));
        assertThat(dimDate.get("state")).as("run error: %s", dimDate.get("error")).isEqualTo("SUCCEEDED");
        assertThat(dimDate.get("stepsTotal")).isEqualTo(graph.withDownstream(List.of("gold.dim_date")).size())
                .isEqualTo(steps(dimDate).size());
    }
}

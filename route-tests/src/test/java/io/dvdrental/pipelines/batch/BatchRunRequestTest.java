package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.support.RealServicesTest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run request the server cannot carry out as asked is refused with 400 and a message naming the bad value; one it
 * cannot carry out now, with 503.
 */
@RealServicesTest
class BatchRunRequestTest {

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate state;
    @Autowired
    CamelContext camel;

    private static final String RUN_REQUESTS = "batch-run-requests";

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of(Map.of("tables", List.of("rental", "rental")), "'rental' is listed twice"),
                Arguments.of(Map.of("tables", List.of("rental", "films")), "Unknown source table 'films'"),
                Arguments.of(Map.of("mode", "fast"), "Unknown mode 'fast'; known: incremental, full, backfill"),
                Arguments.of(Map.of("scope", "gold"), "Unknown scope 'gold'; known: all, dim_date"),
                Arguments.of(Map.of("mode", "backfill", "from", "2005-13-01", "to", "2005-06-01"),
                        "\"from\" is not a date (yyyy-MM-dd): '2005-13-01'"));
    }

    /**
     * While the route that carries runs out is stopped (an operator stopped it in Hawtio, or the server is still
     * starting), a run must not be accepted: it would stay RUNNING and keep every later run out.
     */
    @Test
    @SuppressWarnings("rawtypes")
    void aRunAskedForWhileRunsAreNotTakenIsRefusedAndKeepsNoOtherOut() throws Exception {
        camel.getRouteController().stopRoute(RUN_REQUESTS);
        ResponseEntity<Map> answer;
        try {
            answer = BatchTestSupport.operator(http).postForEntity("/api/batch/runs", Map.of("scope", "dim_date"),
                    Map.class);
        } finally {
            camel.getRouteController().startRoute(RUN_REQUESTS);
        }

        assertThat(answer.getStatusCode().value()).as("answer: %s", answer.getBody()).isEqualTo(503);
        assertThat((String) answer.getBody().get("error")).contains(RUN_REQUESTS);
        assertThat(state.queryForList("SELECT run_id FROM batch_run WHERE state = 'RUNNING'", String.class))
                .as("runs left RUNNING").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    @SuppressWarnings("rawtypes")
    void isRefusedWithTheReason(Map<String, Object> request, String reason) {
        long runsBefore = state.queryForObject("SELECT count(*) FROM batch_run", Long.class);

        ResponseEntity<Map> answer = BatchTestSupport.operator(http).postForEntity("/api/batch/runs", request,
                Map.class);

        assertThat(answer.getStatusCode().value()).as("answer to %s: %s", request, answer.getBody()).isEqualTo(400);
        assertThat((String) answer.getBody().get("error")).contains(reason);
        assertThat(state.queryForObject("SELECT count(*) FROM batch_run", Long.class)).as("no run started")
                .isEqualTo(runsBefore);
    }
}

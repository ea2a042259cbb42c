package io.dvdrental.pipelines.security;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.support.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading is open, everything else needs the operator: HTTP requests against the running server, with and
 * without credentials.
 */
@RealServicesTest
class ServerSecurityTest {

    @Autowired
    TestRestTemplate http;

    private int status(HttpMethod method, String path, TestRestTemplate client) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.ACCEPT, "*/*");
        ResponseEntity<String> response = client.exchange(path, method, new HttpEntity<>(headers), String.class);
        return response.getStatusCode().value();
    }

    @Test
    void startingABatchRunWithoutSigningInIsRefused() {
        assertThat(status(HttpMethod.POST, "/api/batch/runs", http)).isEqualTo(401);
        assertThat(status(HttpMethod.POST, "/api/batch/runs", http.withBasicAuth(TestServices.ADMIN_USER, "wrong")))
                .isEqualTo(401);
        // The operator gets past security (the batch pipeline answers, or 404 where it is not in this build).
        assertThat(status(HttpMethod.POST, "/api/batch/runs",
                http.withBasicAuth(TestServices.ADMIN_USER, TestServices.ADMIN_PASSWORD))).isNotIn(401, 403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/hawtio/", "/actuator/hawtio/camel", "/actuator/hawtio/jolokia/version",
            "/actuator/jolokia/read/java.lang:type=Runtime", "/actuator/info", "/actuator/metrics",
            "/actuator/prometheus", "/actuator/camelroutes", "/actuator"})
    void hawtioAndTheActuatorBeyondHealthNeedTheOperator(String path) {
        assertThat(status(HttpMethod.GET, path, http)).as(path).isEqualTo(401);
        assertThat(status(HttpMethod.GET, path, http.withBasicAuth(TestServices.ADMIN_USER, TestServices.ADMIN_PASSWORD)))
                .as(path + " as operator").isNotIn(401, 403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/dashboards/batch.html", "/dashboards/stream.html", "/assets/dashboards.js",
            "/assets/vendor/echarts/echarts.min.js", "/api/pipelines", "/actuator/health", "/actuator/health/readiness",
            "/actuator/health/liveness"})
    void dashboardsStatusAndHealthAreOpen(String path) {
        assertThat(status(HttpMethod.GET, path, http)).as(path).isEqualTo(200);
    }

    /**
     * A crowd of open dashboards asks these every 10 s: an answer keeps no session and sets no cookie (a session and
     * a fresh CSRF cookie per answer cost more than the cached answer), and a page of another site still gets none.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/api/insights/stream/event-funnel", "/api/insights/batch/top-films",
            "/dashboards/stream.html", "/assets/dashboards.js"})
    void openReadsSetNoCookieAndRefuseOtherSites(String path) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.ACCEPT, "*/*");
        ResponseEntity<String> answer = http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
        assertThat(answer.getStatusCode().value()).as(path).isNotIn(401, 403, 404);
        assertThat(answer.getHeaders().get(HttpHeaders.SET_COOKIE)).as(path + ": cookies set").isNull();
        assertThat(answer.getHeaders().getFirst("X-Content-Type-Options")).as(path).isEqualTo("nosniff");

        headers.set(HttpHeaders.ORIGIN, "https://evil.example");
        assertThat(http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class).getStatusCode().value())
                .as(path + " from another site").isEqualTo(403);
    }

    @Test
    void insightsAreReadOnly() {
        assertThat(status(HttpMethod.GET, "/api/insights/stream/event-funnel", http)).isNotIn(401, 403);
        assertThat(status(HttpMethod.POST, "/api/insights/stream/event-funnel", http)).isEqualTo(401);
        assertThat(status(HttpMethod.DELETE, "/api/insights/batch/top-films", http)).isEqualTo(401);
    }

    @Test
    void withoutAConfiguredPasswordThereIsNoAccountAtAll() {
        var operators = new ServerSecurityAutoConfiguration().operators(new SecurityProperties("admin", "", "viewer", "", null));
        assertThatThrownBy(() -> operators.loadUserByUsername("admin")).isInstanceOf(UsernameNotFoundException.class);
        assertThatThrownBy(() -> operators.loadUserByUsername("viewer")).isInstanceOf(UsernameNotFoundException.class);
        var configured = new ServerSecurityAutoConfiguration().operators(
                new SecurityProperties(null, "s3cret-" + 42, "viewer", "v-" + 42, null));
        assertThat(configured.loadUserByUsername("admin").getAuthorities()).extracting(Object::toString)
                .containsExactly("ROLE_OPERATOR");
        assertThat(configured.loadUserByUsername("viewer").getAuthorities()).extracting(Object::toString)
                .containsExactly("ROLE_VIEWER");
    }

    /** Prometheus's account: the metrics, and nothing the operator role guards. */
    @Test
    void theScrapeAccountReadsTheMetricsAndNothingElse() {
        TestRestTemplate scraper = http.withBasicAuth(TestServices.METRICS_USER, TestServices.METRICS_PASSWORD);
        assertThat(status(HttpMethod.GET, "/actuator/prometheus", scraper)).isNotIn(401, 403);
        for (String path : List.of("/actuator/metrics", "/actuator/hawtio/", "/actuator/jolokia/read/java.lang:type=Runtime",
                "/actuator/camelroutes", "/actuator/info", "/actuator")) {
            assertThat(status(HttpMethod.GET, path, scraper)).as(path).isEqualTo(403);
        }
        assertThat(status(HttpMethod.POST, "/api/batch/runs", scraper)).isEqualTo(403);
        assertThat(status(HttpMethod.GET, "/actuator/prometheus", http.withBasicAuth(TestServices.METRICS_USER, "wrong")))
                .isEqualTo(401);
    }

    @Test
    void theReadOnlyViewerIsRefusedWhatTheOperatorRoleGuards() {
        TestRestTemplate viewer = http.withBasicAuth(TestServices.VIEWER_USER, TestServices.VIEWER_PASSWORD);
        assertThat(status(HttpMethod.POST, "/api/batch/runs", viewer)).isEqualTo(403);
        assertThat(status(HttpMethod.GET, "/actuator/metrics", viewer)).isEqualTo(403);
        // Reading is open to the viewer too (the answer itself is 503 while no batch run has built gold yet).
        assertThat(status(HttpMethod.GET, "/api/insights/batch/top-films", viewer)).isNotIn(401, 403);
    }
}

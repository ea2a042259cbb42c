package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.batch.BatchTestSupport;
import io.dvdrental.pipelines.stream.FilmReferenceCache;
import io.dvdrental.pipelines.stream.StreamProperties;
import io.dvdrental.pipelines.stream.StreamTestSupport;
import io.dvdrental.pipelines.support.Browser;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.support.TestServices;
import io.dvdrental.pipelines.transforms.batch.ModelGraph;
import io.dvdrental.pipelines.transforms.generate.ClickGenerator;
import io.dvdrental.pipelines.transforms.generate.ClickSettings;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pages from a state like {@code ./dvd demo}'s when it says ready: a finished full batch run on generated source
 * data, its film reference loaded by the stream, clicks flowing. Both dashboards show no error and no "Unknown" film
 * within a minute; the pipelines page draws every model of the graph with its state, and a model that fails stands
 * out and leads to its error (its text for the operator only). Screenshots go to target/screenshots.
 */
@RealServicesTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelinesPageBrowserTest {

    private static final Duration WITHIN_A_MINUTE = Duration.ofSeconds(60);
    /** The charts of each dashboard that name films or categories, whose labels must never read "Unknown". */
    private static final List<String> NAMED_STREAM_CHARTS = List.of("trending-films", "top-categories");
    private static final String LABELS = """
            const chart = echarts.getInstanceByDom(document.getElementById(arguments[0]));
            if (!chart) return [];
            return chart.getOption().yAxis.flatMap(a => a.data || []).map(String);""";

    private final int port;
    private final TestRestTemplate http;
    private final NamedParameterJdbcTemplate warehouse;
    private final ModelGraph models;
    private Browser browser;
    /** The full run the demo-like state was built with. */
    private Map<String, Object> fullRun;

    @Autowired
    PipelinesPageBrowserTest(@LocalServerPort int port, TestRestTemplate http,
                             @Qualifier("warehouseJdbcTemplate") NamedParameterJdbcTemplate warehouse,
                             ModelGraph models) {
        this.port = port;
        this.http = http;
        this.warehouse = warehouse;
        this.models = models;
    }

    /** The state ./dvd demo says ready in: a full run has built gold, its reference is loaded, clicks flow. */
    @BeforeAll
    void demoLikeState(@Autowired JdbcTemplate state, @Autowired @Qualifier("sourceDataSource") DataSource source,
                       @Autowired CamelContext camel, @Autowired FilmReferenceCache reference,
                       @Autowired StreamProperties stream, @Value("${dvd.kafka.brokers}") String brokers)
            throws Exception {
        JdbcTemplate ch = warehouse.getJdbcTemplate();
        BatchTestSupport.resetWarehouseAndState(ch, state);
        // Other tests' clicks and reference rows must not decide what the stream page shows.
        for (String table : List.of("stream.dvd_clicks", "stream.film_reference", "stream.clicks_per_minute",
                "stream.users_per_minute", "stream.device_event_per_minute",
                "stream.event_funnel_per_minute")) {
            ch.execute("TRUNCATE TABLE " + table);
        }
        BatchTestSupport.seedGenerated(source, 51, 0.1);
        Instant started = Instant.now();
        fullRun = BatchTestSupport.runAndWait(http, Map.of("mode", "full"));
        assertThat(fullRun.get("state")).as("the full run: %s", fullRun).isEqualTo("SUCCEEDED");
        // Ready as ./dvd demo means it: the stream has loaded the film reference this run exported ...
        await().atMost(Duration.ofSeconds(30)).until(() -> reference.status().loadedAt() != null
                && reference.status().loadedAt().isAfter(started));
        // ... and clicks on the warehouse's films flow in.
        List<Integer> films = ch.queryForList("SELECT film_id FROM gold.dim_film ORDER BY film_id LIMIT 40",
                Integer.class);
        StreamTestSupport.startIngest(camel);
        try (StreamTestSupport clicks = new StreamTestSupport(brokers, warehouse)) {
            ClickGenerator generator = new ClickGenerator(new ClickSettings(51, 60, films, 0), InstantSource.system());
            for (int i = 0; i < 400; i++) {
                clicks.send(stream.topic(), generator.next());
            }
            clicks.flush();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                ch.queryForObject("SELECT count() FROM stream.dvd_clicks", Long.class) >= 400);
        browser = Browser.open();
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    @SuppressWarnings("unchecked")
    private List<String> labels(String chart) {
        return (List<String>) browser.js(LABELS, chart);
    }

    /** No chart failed, every chart drew points, and nothing on the page says an error. */
    private boolean everyChartDrawnWithoutError() {
        List<WebElement> charts = browser.driver().findElements(By.cssSelector(".chart"));
        return !charts.isEmpty() && browser.driver().findElements(By.cssSelector(".chart .failed")).isEmpty()
                && charts.stream().allMatch(c -> c.getDomAttribute("data-points") != null
                && !"0".equals(c.getDomAttribute("data-points")))
                && !browser.find("body").getText().contains("Could not load");
    }

    @Test
    @Order(1)
    void bothDashboardsShowNoErrorAndNoUnknownFilmWithinAMinuteOfReady() {
        browser.get(url("/dashboards/batch.html"));
        browser.await(WITHIN_A_MINUTE, "the batch dashboard drew every chart without an error",
                d -> "true".equals(browser.find("body").getDomAttribute("data-loaded")) && everyChartDrawnWithoutError());
        assertThat(browser.find("#freshness").getText()).doesNotContain("No batch run", "unknown", "Could not");
        assertThat(labels("top-films")).isNotEmpty().noneMatch(l -> l.contains("Unknown"));
        browser.screenshot("demo-batch-dashboard");

        browser.get(url("/dashboards/stream.html"));
        browser.await(WITHIN_A_MINUTE, "the streaming dashboard drew every chart, no film or category 'Unknown'",
                d -> browser.find("body").getDomAttribute("data-refreshes") != null && everyChartDrawnWithoutError()
                        && NAMED_STREAM_CHARTS.stream().allMatch(c -> !labels(c).isEmpty()
                        && labels(c).stream().noneMatch(l -> l.contains("Unknown"))));
        browser.screenshot("demo-stream-dashboard");
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void pipelinesPageDrawsEveryModelWithItsState() {
        Map<String, String> ran = new HashMap<>();
        BatchTestSupport.steps(fullRun).forEach(s -> ran.put((String) s.get("step"), (String) s.get("state")));

        browser.get(url("/dashboards/pipelines.html"));
        browser.await(WITHIN_A_MINUTE, "the pipelines page drawn",
                d -> "true".equals(browser.find("body").getDomAttribute("data-loaded")));
        assertThat(browser.find("body").getDomAttribute("data-error")).isNullOrEmpty();
        Map<String, DrawnNode> drawn = drawnNodes();
        for (String model : models.order()) {
            assertThat(drawn).as("the page draws " + model).containsKey(model);
            assertThat(drawn.get(model).state()).as(model).isEqualTo(ran.get(model));
            assertThat(drawn.get(model).health()).as(model).isEqualTo("OK");
            assertThat(drawn.get(model).text()).as(model).contains(ran.get(model));
        }
        assertThat(drawn.get("route:clicks-ingest").health()).isEqualTo("OK");
        assertThat(drawn.get("stream.dvd_clicks").text()).contains("rows");
        assertThat(drawn.get("question:batch/top-films").href()).isEqualTo("/dashboards/batch.html");
        // Edges are drawn: one per declared upstream at least within the batch drawing.
        Number edges = (Number) browser.js("return document.querySelectorAll('#batch path.edge').length;");
        long declared = models.order().stream().mapToLong(m -> models.model(m).dependsOn().size()).sum();
        assertThat(edges.longValue()).isGreaterThanOrEqualTo(declared);
        assertThat(browser.find("#error-list").getText()).contains("No failed node");
        assertThat(browser.resources()).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith(url("/")));
        browser.screenshot("pipelines-page");
    }

    /**
     * A model fails for real: one of its upstream tables is gone when a full dim_date run rebuilds it. The page marks
     * it failed and links it to its error, and the questions it feeds to it; only the operator reads the error text.
     */
    @Test
    @Order(3)
    void aFailedModelStandsOutAndLinksToItsError() {
        warehouse.getJdbcTemplate().execute("DROP TABLE gold.dim_film");
        Map<String, Object> run = BatchTestSupport.runAndWait(http, Map.of("mode", "full", "scope", "dim_date"));
        String failedModel = "gold.report_rentals";
        assertThat(BatchTestSupport.step(run, failedModel).get("state")).isEqualTo("FAILED");
        assertThat(BatchTestSupport.step(run, "gold.fact_rental_monthly").get("state")).isIn("SUCCEEDED", "UNCHANGED");

        // Anyone: the failed node stands out and leads to its error entry, which says who can read the text.
        browser.get(url("/dashboards/pipelines.html"));
        Map<String, DrawnNode> drawn = browser.await(WITHIN_A_MINUTE, "the failed model drawn as failed", d -> {
            Map<String, DrawnNode> nodes = drawnNodes();
            return nodes.containsKey(failedModel) && "FAILED".equals(nodes.get(failedModel).health()) ? nodes : null;
        });
        DrawnNode failed = drawn.get(failedModel);
        assertThat(failed.href()).isEqualTo("#error-" + failedModel);
        assertThat(failed.background()).isNotEqualTo(drawn.get("gold.fact_rental_monthly").background());
        assertThat(drawn.get("gold.fact_rental_monthly").health()).isEqualTo("OK");
        DrawnNode question = drawn.get("question:batch/top-films");
        assertThat(question.health()).isEqualTo("BLOCKED");
        assertThat(question.href()).isEqualTo("#node-" + failedModel);
        // The page redraws every 10 s: the click goes through the page, not a possibly replaced element.
        browser.js("document.getElementById(arguments[0]).click();", "node-" + failedModel);
        assertThat(browser.driver().getCurrentUrl()).endsWith("#error-" + failedModel);
        String error = (String) BatchTestSupport.step(run, failedModel).get("error");
        String errorLine = error.lines().findFirst().orElseThrow();
        // The entry as one script reads it: a redraw between two reads would replace it.
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) browser.js("""
                const entry = document.getElementById(arguments[0]);
                const link = [...entry.querySelectorAll('a')].find(a => a.textContent.trim() === 'sign in and open the run');
                return {text: entry.innerText, errorTexts: entry.querySelectorAll('pre.error-text').length,
                        runLink: link ? link.getAttribute('href') : null};""", "error-" + failedModel);
        assertThat((String) entry.get("text")).contains(failedModel, (String) run.get("run_id"), "shown to operators")
                .doesNotContain(errorLine);
        assertThat(((Number) entry.get("errorTexts")).intValue()).isZero();
        assertThat(entry.get("runLink")).isEqualTo("/api/batch/runs/" + run.get("run_id"));
        browser.screenshot("pipelines-page-failed");

        // The operator, signed in, reads the error on the page.
        browser.get(url("/login"));
        browser.find("input[name=username]").sendKeys(TestServices.ADMIN_USER);
        browser.find("input[name=password]").sendKeys(TestServices.ADMIN_PASSWORD);
        browser.find("button[type=submit]").click();
        browser.await(Duration.ofSeconds(30), "signed in", d -> !d.getCurrentUrl().contains("/login"));
        browser.get(url("/dashboards/pipelines.html#error-" + failedModel));
        browser.await(WITHIN_A_MINUTE, "the error text for the operator", d -> !d.findElements(
                By.cssSelector("[id='error-" + failedModel + "'] pre.error-text")).isEmpty());
        String text = (String) browser.js("return document.querySelector(arguments[0]).innerText;",
                "[id='error-" + failedModel + "'] pre.error-text");
        assertThat(text).contains(errorLine, "dim_film");
        browser.screenshot("pipelines-page-failed-operator");
    }

    /** A node of a drawing as the page showed it at one moment. */
    private record DrawnNode(String state, String health, String href, String text, String background) {
    }

    /**
     * The drawn nodes of both drawings by id, read by one script: the page redraws every 10 s and replaces its
     * elements, so elements found first and read later can be gone (stale).
     */
    @SuppressWarnings("unchecked")
    private Map<String, DrawnNode> drawnNodes() {
        List<Map<String, String>> read = (List<Map<String, String>>) browser.js("""
                return [...document.querySelectorAll('.lineage [data-node]')].map(n => ({id: n.getAttribute('data-node'),
                        state: n.getAttribute('data-state'), health: n.getAttribute('data-health'),
                        href: n.getAttribute('href'), text: n.textContent,
                        background: getComputedStyle(n).backgroundColor}));""");
        Map<String, DrawnNode> nodes = new HashMap<>();
        read.forEach(n -> nodes.put(n.get("id"), new DrawnNode(n.get("state"), n.get("health"), n.get("href"),
                n.get("text"), n.get("background"))));
        return nodes;
    }

}

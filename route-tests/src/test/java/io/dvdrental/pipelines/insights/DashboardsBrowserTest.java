package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.producer.clicks.ClickGenerator;
import io.dvdrental.pipelines.producer.clicks.ClickSettings;
import io.dvdrental.pipelines.stream.ClickIngestRoute;
import io.dvdrental.pipelines.stream.FilmReferenceCache;
import io.dvdrental.pipelines.stream.StreamProperties;
import io.dvdrental.pipelines.stream.StreamTestSupport;
import io.dvdrental.pipelines.support.Browser;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.transforms.clicks.FilmReference;
import org.apache.camel.CamelContext;
import org.openqa.selenium.By;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both dashboards in headless Chromium against the server and the warehouse holding {@link InsightsFixture}'s rows:
 * every chart must have drawn the data the API gives (read back from ECharts itself), and the streaming page must
 * show new clicks on its own within a refresh. Screenshots go to target/screenshots.
 */
@RealServicesTest
class DashboardsBrowserTest {

    /** Returns what ECharts holds for a chart: the values of each series, or null when nothing was drawn. */
    private static final String SERIES_DATA = """
            const chart = echarts.getInstanceByDom(document.getElementById(arguments[0]));
            if (!chart) return null;
            return chart.getOption().series.map(s => (s.data || []).map(d =>
                Array.isArray(d) ? d[d.length - 1] : (d !== null && typeof d === 'object' ? d.value : d)));""";

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;

    @Autowired
    CamelContext camel;
    @Autowired
    S3Client s3;
    @Autowired
    FilmReferenceCache reference;
    @Autowired
    StreamProperties stream;
    @Value("${dvd.s3.bucket}")
    String bucket;
    @Value("${dvd.kafka.brokers}")
    String brokers;

    /** One browser and one load of the rows for the class (set up lazily: see InsightsApiTest). */
    static Browser browser;
    static InsightsFixture fixture;

    @BeforeEach
    void setUpOnce() {
        if (fixture == null) {
            fixture = new InsightsFixture(warehouse).load();
        }
        if (browser == null) {
            browser = Browser.open();
        }
    }

    @AfterAll
    static void closeBrowser() {
        fixture = null;
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** Everything the page loaded came from this server: the dashboards work without internet. */
    @SuppressWarnings("unchecked")
    private void assertEverythingLoadedFromTheServer() {
        List<String> loaded = (List<String>) browser.js(
                "return performance.getEntriesByType('resource').map(e => e.name);");
        assertThat(loaded).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith(url("/")));
        assertThat(loaded).anySatisfy(u -> assertThat(u).endsWith("/assets/vendor/echarts/echarts.min.js"));
    }

    private String attribute(String id, String name) {
        return browser.find("#" + id).getDomAttribute(name);
    }

    @SuppressWarnings("unchecked")
    private List<List<Double>> drawn(String id) {
        List<List<Number>> series = (List<List<Number>>) browser.js(SERIES_DATA, id);
        return series == null ? List.of()
                : series.stream().map(values -> values.stream().map(Number::doubleValue).toList()).toList();
    }

    private void assertDrew(String id, int points) {
        assertThat(attribute(id, "data-error")).as(id + " error").isNullOrEmpty();
        assertThat(attribute(id, "data-points")).as(id + " points").isEqualTo(String.valueOf(points));
        assertThat(drawn(id)).as(id + " series drawn by ECharts").isNotEmpty()
                .allSatisfy(series -> assertThat(series).isNotEmpty());
        assertThat(browser.driver().findElements(By.cssSelector("#" + id + " canvas")))
                .as(id + " canvas").isNotEmpty();
    }

    @Test
    void batchDashboardDrawsEveryChart() {
        browser.get(url("/dashboards/batch.html"));
        browser.await(Duration.ofSeconds(30), "batch dashboard loaded",
                d -> "true".equals(browser.find("body").getDomAttribute("data-loaded")));

        assertDrew("top-films", 5);
        // Ranked bars are drawn biggest on top, i.e. last in the series.
        assertThat(drawn("top-films").get(0)).containsExactly(1.0, 1.0, 2.0, 3.0, 3.0);
        assertDrew("top-categories", 3);
        assertThat(drawn("top-categories").get(0)).containsExactly(1.0, 4.0, 5.0);
        assertDrew("rentals-by-weekday", 7);
        assertThat(drawn("rentals-by-weekday").get(0)).containsExactlyInAnyOrder(2.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1.0);
        assertDrew("rentals-by-country", 3);
        assertThat(drawn("rentals-by-country").get(0)).containsExactly(2.0, 4.0, 4.0);
        assertDrew("avg-duration-by-country", 3);
        assertThat(drawn("avg-duration-by-country").get(0)).containsExactly(1.75, 4.5, 7.0);
        assertThat(browser.find("#freshness").getText()).startsWith("10 rentals up to 2005-08-01");
        assertEverythingLoadedFromTheServer();
        browser.screenshot("batch-dashboard");

        // A period narrows every chart: July onwards has rentals 7 to 10.
        browser.js("document.getElementById('from').value = '2005-07-01'; "
                + "document.body.dataset.loaded = ''; "
                + "document.getElementById('period').requestSubmit();");
        browser.await(Duration.ofSeconds(30), "batch dashboard reloaded for July",
                d -> "true".equals(browser.find("body").getDomAttribute("data-loaded")));
        assertThat(attribute("top-films", "data-points")).isEqualTo("4");
    }

    @Test
    void streamingDashboardDrawsEveryChartAndShowsNewClicksWithinARefresh() throws Exception {
        try (StreamTestSupport clicks = new StreamTestSupport(brokers, warehouse)) {
            startIngestOnTheFixturesFilms(clicks);
            try {
                streamingDashboard(clicks);
            } finally {
                camel.getRouteController().stopRoute(ClickIngestRoute.ROUTE_ID);
            }
        }
    }

    /**
     * New clicks come through Kafka and the real ingest route, enriched from an export of the fixture's films. What
     * earlier tests left in the topic is ingested first, then the fixture's rows are loaded again over it.
     */
    private void startIngestOnTheFixturesFilms(StreamTestSupport clicks) throws Exception {
        String version = "dashboards-" + UUID.randomUUID().toString().substring(0, 8);
        StreamTestSupport.writeExport(s3, bucket, version, List.of(
                new FilmReference(1, "Academy Dinosaur", "Documentary", "PG", 86),
                new FilmReference(2, "Ace Goldfinger", "Horror", "G", 48),
                new FilmReference(3, "Adaptation Holes", "Documentary", "NC-17", 50),
                new FilmReference(4, "Affair Prejudice", "Horror", "G", 117),
                new FilmReference(5, "African Egg", "Family", "G", 130)));
        await().atMost(Duration.ofSeconds(30)).until(() -> reference.current().version().equals(version));
        StreamTestSupport.startIngest(camel);
        clicks.awaitCaughtUp(stream.groupId(), stream.topic(), stream.partitions());
        fixture.load();
    }

    /** Valid clicks on one film, 10 ms apart from the start of the fixture's current minute. */
    private void publishClicks(StreamTestSupport clicks, int filmId, int count) {
        long start = fixture.minute(0) * 1000 + 1000;
        AtomicLong ticks = new AtomicLong();
        ClickGenerator generator = new ClickGenerator(new ClickSettings(42, 5, List.of(filmId), 0),
                () -> Instant.ofEpochMilli(start + 10 * ticks.getAndIncrement()));
        for (int i = 0; i < count; i++) {
            clicks.send(stream.topic(), generator.next());
        }
        clicks.flush();
    }

    private void streamingDashboard(StreamTestSupport clicks) {
        browser.get(url("/dashboards/stream.html"));
        browser.await(Duration.ofSeconds(30), "streaming dashboard loaded",
                d -> browser.find("body").getDomAttribute("data-refreshes") != null);

        assertDrew("clicks-per-minute", 3);
        assertThat(drawn("clicks-per-minute").get(0)).containsExactly(7.0, 7.0, 5.0);
        assertDrew("active-users", 3);
        assertThat(drawn("active-users").get(0)).containsExactly(3.0, 2.0, 1.0);
        assertDrew("trending-films", 3);
        assertDrew("top-categories", 2);
        assertDrew("device-activity", 4);
        assertDrew("event-funnel", 4);
        assertThat(drawn("event-funnel").get(0)).containsExactly(10.0, 2.0, 1.0, 1.0);
        assertThat(browser.find("#total-clicks").getText()).isEqualTo("19");
        assertThat(browser.find("#total-users").getText()).isEqualTo("4");
        assertEverythingLoadedFromTheServer();
        browser.screenshot("stream-dashboard");

        // New clicks arrive; the page (not reloaded) must show them by itself within its 10-second refresh.
        browser.js("window.notReloaded = true;");
        int refreshesBefore = Integer.parseInt(browser.find("body").getDomAttribute("data-refreshes"));
        publishClicks(clicks, 3, 25);
        browser.await(Duration.ofSeconds(60), "the streaming page shows 25 more clicks",
                d -> "44".equals(attribute("clicks-per-minute", "data-total")));
        assertThat(browser.find("#total-clicks").getText()).isEqualTo("44");
        assertThat(drawn("clicks-per-minute").get(0)).containsExactly(7.0, 7.0, 30.0);
        assertThat(browser.js("return window.notReloaded === true;")).isEqualTo(true);
        assertThat(Integer.parseInt(browser.find("body").getDomAttribute("data-refreshes")))
                .isGreaterThan(refreshesBefore);
        browser.screenshot("stream-dashboard-refreshed");
    }

    @Test
    void homePageLinksBothDashboardsAndHawtio() {
        browser.get(url("/"));
        List<String> links = browser.driver().findElements(By.cssSelector(".links a")).stream()
                .map(a -> a.getDomAttribute("href")).toList();
        assertThat(links).contains("/dashboards/batch.html", "/dashboards/stream.html", "/actuator/hawtio/");
    }
}

package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.support.Browser;
import io.dvdrental.pipelines.support.RealServicesTest;
import org.openqa.selenium.By;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
    private void assertEverythingLoadedFromTheServer() {
        List<String> loaded = browser.resources();
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
    void streamingDashboardDrawsEveryChartAndShowsNewClicksWithinARefresh() {
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
        fixture.clicks(0, 3, "Adaptation Holes", "Documentary", 25);
        browser.await(Duration.ofSeconds(25), "the streaming page shows 25 more clicks",
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

package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.support.Browser;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.support.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names on the dashboards come from source rows (a film title typed into the rental system, a device string sent
 * by a browser): a name that is HTML must show as its text and run nothing. Every chart's tooltip is opened in
 * headless Chromium on rows whose every name carries an {@code <img onerror>}.
 */
@RealServicesTest
class DashboardsEscapingTest {

    /** Counts on the page how often it ran; an {@code img} element it makes would also be found in the page. */
    private static final String HTML = "<img src=x onerror=\"window.injected=(window.injected||0)+1\">";

    /** Shows the chart's tooltip for its first data item and answers what the tooltip reads, or null before it shows. */
    private static final String SHOW_TOOLTIP = """
            const el = document.getElementById(arguments[0]);
            const chart = echarts.getInstanceByDom(el);
            if (!chart) return null;
            chart.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 });
            const tip = [...el.querySelectorAll('div')].find(d => d.style.zIndex === '9999999' && d.style.display !== 'none');
            return tip ? tip.textContent : null;""";

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;

    @Autowired
    JdbcTemplate state;

    Browser browser;

    @BeforeEach
    void setUp() {
        new InsightsFixture(warehouse).loadNamed(HTML);
        browser = Browser.open();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @ParameterizedTest
    @CsvSource({
            "/dashboards/batch.html, data-loaded, top-films top-categories rentals-by-weekday rentals-by-country avg-duration-by-country",
            "/dashboards/stream.html, data-refreshes, trending-films top-categories device-activity event-funnel clicks-per-minute active-users"})
    void htmlInANameShowsAsTextAndRunsNothing(String page, String loaded, String charts) {
        browser.get("http://localhost:" + port + page);
        browser.await(Duration.ofSeconds(30), page + " loaded",
                d -> browser.find("body").getDomAttribute(loaded) != null);
        for (String chart : charts.split(" ")) {
            String tooltip = browser.await(Duration.ofSeconds(30), "the tooltip of " + chart,
                    d -> (String) browser.js(SHOW_TOOLTIP, chart));
            boolean namedChart = !chart.equals("clicks-per-minute") && !chart.equals("active-users");
            if (namedChart) {
                assertThat(tooltip).as(chart + " tooltip").contains(HTML);
            }
            assertThat(browser.js("return document.querySelectorAll('#' + arguments[0] + ' img').length;", chart))
                    .as(chart + ": elements made from a name").isEqualTo(0L);
        }
        browser.screenshot("dashboard-names-as-text" + page.replaceAll("[^a-z]", "-"));
        assertThat(browser.js("return document.querySelectorAll('img').length;")).isEqualTo(0L);
        assertThat(browser.js("return window.injected === undefined;")).as("script from a name ran").isEqualTo(true);
    }

    /**
     * On the pipelines page the texts come from the run log: a step's error can quote a source value. A failed step
     * whose error and run id are HTML shows them as text, to anyone (the run id) and to the operator (the error).
     */
    @Test
    void htmlInARunsErrorShowsAsTextOnThePipelinesPage() {
        String runId = "escaping-" + HTML;
        state.update("INSERT INTO batch_run (run_id, trigger, mode, scope, state, error, finished_at) "
                + "VALUES (?, 'test', 'FULL', 'ALL', 'FAILED', ?, clock_timestamp())", runId, "failed: " + HTML);
        state.update("INSERT INTO batch_step (run_id, step, kind, state, finished_at, duration_ms, error) "
                + "VALUES (?, 'gold.dim_film', 'model', 'FAILED', clock_timestamp(), 5, ?)", runId, "bad title " + HTML);
        try {
            String node = "[id='error-gold.dim_film']";
            browser.get("http://localhost:" + port + "/dashboards/pipelines.html");
            browser.await(Duration.ofSeconds(30), "the failure listed", d -> !d.findElements(By.cssSelector(node)).isEmpty());
            assertThat(browser.find(node).getText()).contains(runId);

            browser.get("http://localhost:" + port + "/login");
            browser.find("input[name=username]").sendKeys(TestServices.ADMIN_USER);
            browser.find("input[name=password]").sendKeys(TestServices.ADMIN_PASSWORD);
            browser.find("button[type=submit]").click();
            browser.await(Duration.ofSeconds(30), "signed in", d -> !d.getCurrentUrl().contains("/login"));
            browser.get("http://localhost:" + port + "/dashboards/pipelines.html");
            browser.await(Duration.ofSeconds(30), "the error for the operator",
                    d -> !d.findElements(By.cssSelector(node + " pre.error-text")).isEmpty());
            assertThat(browser.find(node + " pre.error-text").getText()).isEqualTo("bad title " + HTML);
            browser.screenshot("pipelines-names-as-text");
            assertThat(browser.js("return document.querySelectorAll('img').length;")).isEqualTo(0L);
            assertThat(browser.js("return window.injected === undefined;")).as("script from an error ran")
                    .isEqualTo(true);
        } finally {
            state.update("DELETE FROM batch_step WHERE run_id = ?", runId);
            state.update("DELETE FROM batch_run WHERE run_id = ?", runId);
        }
    }
}

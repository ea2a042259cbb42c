package io.dvdrental.pipelines.hawtio;

import io.dvdrental.pipelines.support.Browser;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.support.TestServices;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Hawtio console in headless Chromium: the operator signs in on the server's login page and finds the Camel
 * routes, their statistics and diagram, and stops and starts a route from the console.
 */
@RealServicesTest
// Hawtio reads Camel through JMX, which Camel's test support turns off unless asked; the production server has it
// on. That takes a context of its own, closed after this class so its routes do not compete with the shared one.
@DisableJmx(false)
@TestPropertySource(properties = "spring.jmx.enabled=true")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HawtioConsoleTest {

    private static final String PROBE = "hawtio-probe";

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    Browser browser;

    @BeforeEach
    void openBrowser() {
        browser = Browser.open();
    }

    /** A route of our own, so the test does not depend on which pipelines this build has (Camel runs by now). */
    void addProbeRoute() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:" + PROBE + "?period=500").routeId(PROBE).setBody(constant("tick")).to("log:" + PROBE + "?level=DEBUG");
            }
        });
    }

    @AfterEach
    void closeBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (camel.getRoute(PROBE) != null) {
            camel.getRouteController().stopRoute(PROBE);
            camel.removeRoute(PROBE);
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    @Test
    void operatorSignsInSeesTheRoutesAndStopsAndStartsOne() throws Exception {
        addProbeRoute();
        browser.get(url("/actuator/hawtio/camel"));
        browser.await(Duration.ofSeconds(30), "the login page", d -> d.getCurrentUrl().endsWith("/login"));
        browser.find("input[name=username]").sendKeys(TestServices.ADMIN_USER);
        browser.find("input[name=password]").sendKeys(TestServices.ADMIN_PASSWORD);
        browser.find("button[type=submit]").click();
        browser.await(Duration.ofSeconds(30), "Hawtio after login", d -> d.getCurrentUrl().contains("/actuator/hawtio/camel"));

        // The probe route in the tree: its diagram with the exchange counts (the folder's diagram of every
        // route of the real server is too large to show the probe's nodes on screen).
        browser.clickText("routes");
        browser.clickText(PROBE);
        if (!browser.driver().findElements(By.xpath("//*[normalize-space(text())='Route Diagram']")).isEmpty()) {
            browser.clickText("Route Diagram");
        }
        browser.await(Duration.ofSeconds(30), "the route diagram", d -> d.findElements(
                By.cssSelector(".react-flow__node")).size() >= 2);
        assertThat(browser.find("body").getText()).contains("From timer:hawtio", "To log:hawtio-probe");
        browser.screenshot("hawtio-route-diagram");

        // The routes table: state and statistics, and the operator stops and starts the route from it.
        browser.clickText("routes");
        browser.clickText("Routes");
        WebElement row = browser.await(Duration.ofSeconds(30), "the probe's row", d -> d.findElements(
                By.xpath("//tr[td[normalize-space(.)='" + PROBE + "']]")).stream().findFirst().orElse(null));
        assertThat(row.getText()).contains("Started");
        browser.screenshot("hawtio-routes");
        row.findElement(By.cssSelector("input[type=checkbox]")).click();
        browser.clickText("Stop");
        browser.await(Duration.ofSeconds(30), "the route stopped from Hawtio",
                d -> camel.getRouteController().getRouteStatus(PROBE) == ServiceStatus.Stopped);
        browser.await(Duration.ofSeconds(30), "Hawtio showing it stopped", d -> d.findElements(
                By.xpath("//tr[td[normalize-space(.)='" + PROBE + "']]")).stream()
                .anyMatch(r -> r.getText().contains("Stopped")));

        WebElement stopped = browser.driver().findElement(By.xpath("//tr[td[normalize-space(.)='" + PROBE + "']]"));
        WebElement box = stopped.findElement(By.cssSelector("input[type=checkbox]"));
        if (!box.isSelected()) {
            box.click();
        }
        browser.clickText("Start");
        browser.await(Duration.ofSeconds(30), "the route started again from Hawtio",
                d -> camel.getRouteController().getRouteStatus(PROBE) == ServiceStatus.Started);
    }

    @Test
    void withoutSigningInTheConsoleIsRefused() {
        browser.get(url("/actuator/hawtio/camel"));
        browser.await(Duration.ofSeconds(30), "the login page", d -> d.getCurrentUrl().endsWith("/login"));
        browser.find("input[name=username]").sendKeys(TestServices.ADMIN_USER);
        browser.find("input[name=password]").sendKeys("not-the-password");
        browser.find("button[type=submit]").click();
        browser.await(Duration.ofSeconds(30), "the login page again", d -> d.getCurrentUrl().contains("/login?error"));
        browser.get(url("/actuator/hawtio/jolokia/read/java.lang:type=Runtime"));
        assertThat(browser.driver().getCurrentUrl()).endsWith("/login");
    }
}

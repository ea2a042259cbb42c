package io.dvdrental.pipelines.support;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Headless Debian Chromium driven through its chromedriver, for tests that look at pages as a person would.
 * Without chromium the tests fail with the install command, unless {@code -Ddvd.browser-tests=skip} opts out.
 * Screenshots go to {@code target/screenshots} ({@code dvd.screenshots}).
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    public static final String INSTALL = "apt-get install -y chromium chromium-driver";

    private final Path profile;
    private final ChromeDriver driver;

    private Browser(Path profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    /** A fresh browser with an empty profile and a laptop-sized window. */
    public static Browser open() {
        if ("skip".equalsIgnoreCase(System.getProperty("dvd.browser-tests", "run"))) {
            Assumptions.abort("browser tests skipped on request (-Ddvd.browser-tests=skip)");
        }
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new IllegalStateException("The browser tests need Debian's chromium and chromedriver at " + CHROMIUM
                    + " and " + CHROMEDRIVER + ": install them with `" + INSTALL
                    + "`, or opt out with -Ddvd.browser-tests=skip");
        }
        try {
            Path profile = Files.createTempDirectory("dvd-chromium-");
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments(
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1440,1000", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
            return new Browser(profile, new ChromeDriver(service, options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public void get(String url) {
        driver.get(url);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Polls {@code condition} until it holds. A poll that reads an element the page has just re-rendered (stale) polls
     * again, as one that finds nothing yet does.
     */
    public <T> T await(Duration timeout, String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout).withMessage(what).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    /**
     * Clicks the first visible element reading {@code text}. A single-page console re-renders its tree and tabs while
     * it loads: an element found a moment ago can be gone when clicked, so it is found again until the click lands.
     */
    public void clickText(String text) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).withMessage("an element reading '" + text + "'")
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    WebElement element = d.findElements(By.xpath("//*[normalize-space(text())='" + text + "']"))
                            .stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
                    if (element == null) {
                        return false;
                    }
                    element.click();
                    return true;
                });
    }

    /** Every resource the page loaded (scripts, styles, fetches), by URL. */
    @SuppressWarnings("unchecked")
    public List<String> resources() {
        return (List<String>) js("return performance.getEntriesByType('resource').map(e => e.name);");
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** Saves a PNG of the whole page (the window grown to its height) to target/screenshots/name.png. */
    public Path screenshot(String name) {
        Dimension window = driver.manage().window().getSize();
        Number height = (Number) js("return document.documentElement.scrollHeight;");
        int chrome = window.getHeight() - ((Number) js("return window.innerHeight;")).intValue();
        driver.manage().window().setSize(new Dimension(window.getWidth(), Math.max(window.getHeight(),
                height.intValue() + chrome)));
        try {
            Path dir = Path.of(System.getProperty("dvd.screenshots", "target/screenshots"));
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file,
                    StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temp profile is harmless.
            }
        }
    }
}

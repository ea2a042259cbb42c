package io.dvdrental.pipelines.security;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.support.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a page on another site can make the operator's browser do: it can send a GET (a link, an image) with the
 * operator's session cookie or cached Basic credentials, or POST a form. Jolokia must run no operation and write no
 * attribute on a GET, refuse requests whose Origin is another site, and a call made with the session cookie must
 * carry the CSRF token. Scripts keep working with Basic credentials over POST.
 */
@RealServicesTest
class CrossSiteRequestsTest {

    /** An MBean of the test whose operation and attribute show whether a request reached them. */
    public interface ProbeMBean {
        void poke();

        int getLevel();

        void setLevel(int level);
    }

    public static final class Probe implements ProbeMBean {
        final AtomicInteger pokes = new AtomicInteger();
        volatile int level = 1;

        @Override
        public void poke() {
            pokes.incrementAndGet();
        }

        @Override
        public int getLevel() {
            return level;
        }

        @Override
        public void setLevel(int level) {
            this.level = level;
        }
    }

    private static final String MBEAN = "io.dvdrental.test:type=CrossSiteProbe";
    private static final String EVIL = "https://evil.example";

    @LocalServerPort
    int port;

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private Probe probe;

    @BeforeEach
    void registerProbe() throws Exception {
        probe = new Probe();
        ManagementFactory.getPlatformMBeanServer().registerMBean(probe, new ObjectName(MBEAN));
    }

    @AfterEach
    void unregisterProbe() throws Exception {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(MBEAN));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (TestServices.ADMIN_USER + ":" + TestServices.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> operatorGet(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", basic()));
    }

    private HttpResponse<String> operatorPost(String path, String json, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", basic())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return send(request);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/jolokia/exec/" + MBEAN + "/poke", "/actuator/hawtio/jolokia/exec/" + MBEAN + "/poke",
            "/actuator/jolokia/EXEC/" + MBEAN + "/poke", "/actuator/jolokia/%65xec/" + MBEAN + "/poke",
            "/actuator/jolokia/?p=/exec/" + MBEAN + "/poke", "/actuator/jolokia/read?p=/exec/" + MBEAN + "/poke"})
    void aGetRunsNoOperation(String path) throws Exception {
        HttpResponse<String> response = operatorGet(path.replace("?p=/exec/" + MBEAN, "?p="
                + URLEncoder.encode("/exec/" + MBEAN, StandardCharsets.UTF_8)));
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(405);
        assertThat(response.body()).contains("POST");
        assertThat(probe.pokes).as("operation run by " + path).hasValue(0);
    }

    @Test
    void aGetWritesNoAttribute() throws Exception {
        HttpResponse<String> response = operatorGet("/actuator/jolokia/write/" + MBEAN + "/Level/7");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(405);
        assertThat(probe.level).isEqualTo(1);
    }

    @Test
    void aGetStillReads() throws Exception {
        HttpResponse<String> response = operatorGet("/actuator/jolokia/read/" + MBEAN + "/Level");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"value\":1");
    }

    @Test
    void aScriptRunsOperationsOverPostWithBasicCredentials() throws Exception {
        HttpResponse<String> response = operatorPost("/actuator/jolokia",
                "{\"type\":\"exec\",\"mbean\":\"" + MBEAN + "\",\"operation\":\"poke\"}", Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":200");
        assertThat(probe.pokes).hasValue(1);
        // The console's own origin is this server: its requests pass.
        response = operatorPost("/actuator/jolokia", "{\"type\":\"write\",\"mbean\":\"" + MBEAN
                + "\",\"attribute\":\"Level\",\"value\":3}", Map.of("Origin", url("")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(probe.level).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/jolokia", "/actuator/hawtio/jolokia"})
    void aRequestFromAnotherSiteIsRefused(String path) throws Exception {
        HttpResponse<String> response = operatorPost(path,
                "{\"type\":\"exec\",\"mbean\":\"" + MBEAN + "\",\"operation\":\"poke\"}", Map.of("Origin", EVIL));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(probe.pokes).hasValue(0);
        response = operatorPost("/api/batch/runs", "{\"mode\":\"no-such-mode\"}", Map.of("Origin", EVIL));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    }

    /** The operator signed in with the login form: the session cookie alone must not start anything. */
    @Test
    void aCallWithTheSessionCookieNeedsTheCsrfToken() throws Exception {
        Session session = signIn();
        String body = "{\"mode\":\"no-such-mode\"}";
        HttpResponse<String> withoutToken = send(HttpRequest.newBuilder(URI.create(url("/api/batch/runs")))
                .header("Cookie", session.cookieHeader()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(withoutToken.statusCode()).as(withoutToken.body()).isEqualTo(403);

        // With the token the console's pages send back (X-XSRF-TOKEN from the XSRF-TOKEN cookie) the call gets
        // past security and the controller answers: 400 for the unknown mode.
        HttpResponse<String> withToken = send(HttpRequest.newBuilder(URI.create(url("/api/batch/runs")))
                .header("Cookie", session.cookieHeader()).header("X-XSRF-TOKEN", session.cookies().get("XSRF-TOKEN"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(400);

        // Scripts authenticate with Basic on every call and need no token.
        HttpResponse<String> script = operatorPost("/api/batch/runs", body, Map.of());
        assertThat(script.statusCode()).as(script.body()).isEqualTo(400);

        // And the session cookie on a GET (a link on another site) runs no operation either.
        HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(url("/actuator/jolokia/exec/" + MBEAN + "/poke")))
                .header("Cookie", session.cookieHeader()));
        assertThat(get.statusCode()).as(get.body()).isEqualTo(405);
        assertThat(probe.pokes).hasValue(0);
    }

    record Session(Map<String, String> cookies) {
        String cookieHeader() {
            return cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
        }
    }

    /** Signs in as a browser does: the login page's CSRF token, the form POST, and the session cookie it sets. */
    private Session signIn() throws Exception {
        Map<String, String> cookies = new LinkedHashMap<>();
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(url("/login"))));
        collect(page, cookies);
        Matcher token = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
        assertThat(token.find()).as("the login page's CSRF field: " + page.body()).isTrue();
        String form = "username=" + URLEncoder.encode(TestServices.ADMIN_USER, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(TestServices.ADMIN_PASSWORD, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(url("/login")))
                .header("Cookie", new Session(cookies).cookieHeader())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("error");
        assertThat(login.headers().allValues("Set-Cookie")).filteredOn(c -> c.startsWith("JSESSIONID="))
                .singleElement().asString().contains("SameSite=Strict");
        collect(login, cookies);
        // A page after login sets the XSRF-TOKEN cookie of the new session.
        HttpResponse<String> after = send(HttpRequest.newBuilder(URI.create(url("/api/pipelines")))
                .header("Cookie", new Session(cookies).cookieHeader()));
        collect(after, cookies);
        assertThat(cookies).containsKeys("JSESSIONID", "XSRF-TOKEN");
        return new Session(cookies);
    }

    private static void collect(HttpResponse<?> response, Map<String, String> cookies) {
        List<String> set = response.headers().allValues("Set-Cookie");
        for (String cookie : set) {
            String pair = cookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String value = pair.substring(eq + 1);
            if (value.isEmpty()) {
                cookies.remove(pair.substring(0, eq));
            } else {
                cookies.put(pair.substring(0, eq), value);
            }
        }
    }
}

package io.dvdrental.pipelines.openshift;

import org.jolokia.jvmagent.JolokiaServer;
import org.jolokia.jvmagent.JvmAgentConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.ObjectName;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jolokia agent configuration baked into the image (openshift/image/jolokia-agent.properties and its policy
 * jolokia-access.xml), run by the real agent with certificates shaped like OpenShift's service CA ones: Hawtio
 * Online's client certificate is let in, a client certificate with another name from the same CA and a client
 * without a certificate are not. Even Hawtio Online's requests run operations only over POST and only from Hawtio
 * Online's own origin, as the server's in-app Jolokia does.
 */
class JolokiaAgentTest {

    private static final String PASSWORD = "test-only";
    private static final String PROBE = "io.dvdrental.test:type=AgentProbe";

    /** An MBean whose operation shows whether a request reached it. */
    public interface AgentProbeMBean {
        void poke();
    }

    public static final class AgentProbe implements AgentProbeMBean {
        final AtomicInteger pokes = new AtomicInteger();

        @Override
        public void poke() {
            pokes.incrementAndGet();
        }
    }

    @TempDir
    static Path dir;

    private static JolokiaServer agent;
    private static String url;
    private static AgentProbe probe;

    @BeforeAll
    static void startTheAgentWithTheImageConfiguration() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test-service-ca",
                "-keyout", "ca.key", "-out", "ca.crt");
        // The service CA writes PKCS#1 keys (tls.key), the server certificate names the Service.
        openssl("genrsa", "-traditional", "-out", "tls.key", "2048");
        signed("tls", "/CN=dvd-pipelines.dvd-pipelines.svc", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        signed("hawtio", "/CN=" + clientPrincipalName(), "extendedKeyUsage=clientAuth\n");
        signed("intruder", "/CN=someone-else.hawtio.svc", "extendedKeyUsage=clientAuth\n");

        Map<String, String> config = new HashMap<>();
        JolokiaAgentConfig.load().forEach((k, v) -> config.put((String) k, (String) v));
        assertThat(config).containsEntry("protocol", "https").containsEntry("useSslClientAuthentication", "true")
                .containsEntry("serverCert", "/etc/dvd/serving-tls/tls.crt")
                .containsEntry("caCert", "/var/run/secrets/kubernetes.io/serviceaccount/service-ca.crt");
        // Only where the pod's files are and which port: the security settings are the image's own.
        config.put("host", "127.0.0.1");
        config.put("port", "0");
        config.put("serverCert", dir.resolve("tls.crt").toString());
        config.put("serverKey", dir.resolve("tls.key").toString());
        config.put("caCert", dir.resolve("ca.crt").toString());
        assertThat(config).containsEntry("policyLocation", "file://" + JolokiaAgentConfig.POLICY_IN_IMAGE);
        config.put("policyLocation", JolokiaAgentConfig.POLICY.toUri().toString());
        probe = new AgentProbe();
        ManagementFactory.getPlatformMBeanServer().registerMBean(probe, new ObjectName(PROBE));
        agent = new JolokiaServer(new JvmAgentConfig(config));
        agent.start();
        url = "https://127.0.0.1:" + agent.getAddress().getPort() + "/jolokia/";
    }

    @AfterAll
    static void stopTheAgent() throws Exception {
        if (agent != null) {
            agent.stop();
        }
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(PROBE));
    }

    @BeforeEach
    void resetProbe() {
        probe.pokes.set(0);
    }

    @Test
    void hawtioOnlineReadsTheServerMBeans() throws Exception {
        HttpResponse<String> version = post(client("hawtio"), "{\"type\":\"version\"}", hawtioOnlineOrigin());
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(version.body()).contains("\"agent\"").contains("\"status\":200");
    }

    @Test
    void hawtioOnlineRunsOperationsOverPost() throws Exception {
        HttpResponse<String> response = post(client("hawtio"), EXEC, hawtioOnlineOrigin());
        assertThat(response.body()).contains("\"status\":200");
        assertThat(probe.pokes).hasValue(1);
    }

    @Test
    void aGetRunsNoOperation() throws Exception {
        HttpResponse<String> response = client("hawtio").send(HttpRequest.newBuilder(URI.create(url + "exec/" + PROBE
                        + "/poke")).header("Origin", hawtioOnlineOrigin()).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).doesNotContain("\"status\":200");
        assertThat(probe.pokes).hasValue(0);
    }

    @Test
    void anotherOriginOrNoneRunsNoOperation() throws Exception {
        assertThat(post(client("hawtio"), EXEC, "https://evil.example").body()).doesNotContain("\"status\":200");
        assertThat(post(client("hawtio"), EXEC, null).body()).doesNotContain("\"status\":200");
        assertThat(probe.pokes).hasValue(0);
    }

    @Test
    void theImageCarriesThePolicyWhereTheAgentLooksForIt() throws Exception {
        String containerfile = Files.readString(Manifests.DIR.resolveSibling("Containerfile")).replace("\\\n", " ");
        assertThat(containerfile).containsPattern("COPY [^\\n]*openshift/image/jolokia-access\\.xml[^\\n]* "
                + Pattern.quote(JolokiaAgentConfig.POLICY_IN_IMAGE.replace("jolokia-access.xml", "")));
    }

    @Test
    void anotherClientOfTheSameCaIsRefused() throws Exception {
        assertRefused("intruder");
    }

    @Test
    void aClientWithoutCertificateIsRefused() throws Exception {
        assertRefused(null);
    }

    /** Refused at the TLS handshake or by the agent's authentication, never answered. */
    private static void assertRefused(String certificate) throws Exception {
        HttpResponse<String> response;
        try {
            response = post(client(certificate), EXEC, hawtioOnlineOrigin());
        } catch (IOException handshakeRefused) {
            return;
        }
        assertThat(response.statusCode()).isIn(401, 403);
        assertThat(probe.pokes).hasValue(0);
    }

    private static final String EXEC = "{\"type\":\"exec\",\"mbean\":\"" + PROBE + "\",\"operation\":\"poke\"}";

    /** The origin the policy lets in: Hawtio Online's address, which the deployer writes there. */
    private static String hawtioOnlineOrigin() {
        Matcher origin = Pattern.compile("<allow-origin>([^<*]+)</allow-origin>").matcher(JolokiaAgentConfig.policy());
        assertThat(origin.find()).as("an allowed origin in " + JolokiaAgentConfig.POLICY).isTrue();
        return origin.group(1).strip();
    }

    private static String clientPrincipalName() {
        String principal = JolokiaAgentConfig.load().getProperty("clientPrincipal");
        assertThat(principal).startsWith("cn=");
        return principal.substring(3);
    }

    private static HttpResponse<String> post(HttpClient client, String json, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client(String certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream ca = Files.newInputStream(dir.resolve("ca.crt"))) {
            trust.setCertificateEntry("service-ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (certificate != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(certificate + ".p12"))) {
                keys.load(in, PASSWORD.toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD.toCharArray());
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A key (unless one exists) and a certificate for {@code name} signed by the test CA, plus a PKCS#12 bundle. */
    private static void signed(String name, String subject, String extensions) throws Exception {
        if (!Files.exists(dir.resolve(name + ".key"))) {
            openssl("genrsa", "-out", name + ".key", "2048");
        }
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl("req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "1", "-extfile", name + ".ext", "-out", name + ".crt");
        openssl("pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-out", name + ".p12",
                "-passout", "pass:" + PASSWORD);
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", cmd, output).isZero();
    }
}

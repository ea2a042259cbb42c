package io.dvdrental.pipelines.openshift;

import org.jolokia.jvmagent.JolokiaServer;
import org.jolokia.jvmagent.JvmAgentConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jolokia agent configuration baked into the image (openshift/image/jolokia-agent.properties), run by
 * the real agent with certificates shaped like OpenShift's service CA ones: Hawtio Online's client certificate is
 * let in, a client certificate with another name from the same CA and a client without a certificate are not.
 */
class JolokiaAgentTest {

    private static final String PASSWORD = "test-only";

    @TempDir
    static Path dir;

    private static JolokiaServer agent;
    private static String url;

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
                .containsEntry("serverCert", "/etc/jolokia/tls/tls.crt")
                .containsEntry("caCert", "/var/run/secrets/kubernetes.io/serviceaccount/service-ca.crt");
        // Only where the pod's files are and which port: the security settings are the image's own.
        config.put("host", "127.0.0.1");
        config.put("port", "0");
        config.put("serverCert", dir.resolve("tls.crt").toString());
        config.put("serverKey", dir.resolve("tls.key").toString());
        config.put("caCert", dir.resolve("ca.crt").toString());
        agent = new JolokiaServer(new JvmAgentConfig(config));
        agent.start();
        url = "https://127.0.0.1:" + agent.getAddress().getPort() + "/jolokia/version";
    }

    @AfterAll
    static void stopTheAgent() {
        if (agent != null) {
            agent.stop();
        }
    }

    @Test
    void hawtioOnlineReadsTheServerMBeans() throws Exception {
        HttpResponse<String> version = get(client("hawtio"));
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(version.body()).contains("\"agent\"");
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
            response = get(client(certificate));
        } catch (IOException handshakeRefused) {
            return;
        }
        assertThat(response.statusCode()).isIn(401, 403);
        assertThat(response.body()).doesNotContain("\"agent\"");
    }

    private static String clientPrincipalName() {
        String principal = JolokiaAgentConfig.load().getProperty("clientPrincipal");
        assertThat(principal).startsWith("cn=");
        return principal.substring(3);
    }

    private static HttpResponse<String> get(HttpClient client) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
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

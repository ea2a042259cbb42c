package io.dvdrental.pipelines.security;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The metrics port ({@code dvd.security.metrics.port}): a second HTTPS connector for Prometheus, so that its
 * credentials never cross the network in clear text. What it may serve ({@code /actuator/prometheus} only) is
 * decided in {@link ServerSecurityAutoConfiguration}.
 */
@AutoConfiguration
@EnableConfigurationProperties(SecurityProperties.class)
public class MetricsPortConfiguration {

    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> metricsPort(SecurityProperties security) {
        SecurityProperties.Metrics metrics = security.metrics();
        if (metrics == null || metrics.port() == null) {
            return factory -> {
            };
        }
        String certificate = readable("dvd.security.metrics.certificate", metrics.certificate());
        String key = readable("dvd.security.metrics.private-key", metrics.privateKey());
        return factory -> {
            Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
            connector.setPort(metrics.port());
            connector.setScheme("https");
            connector.setSecure(true);
            AbstractHttp11Protocol<?> protocol = (AbstractHttp11Protocol<?>) connector.getProtocolHandler();
            protocol.setSSLEnabled(true);
            SSLHostConfig tls = new SSLHostConfig();
            // PEM files as OpenShift's service CA writes them (PKCS#1 or PKCS#8 key).
            SSLHostConfigCertificate pem = new SSLHostConfigCertificate(tls, SSLHostConfigCertificate.Type.UNDEFINED);
            pem.setCertificateFile(certificate);
            pem.setCertificateKeyFile(key);
            tls.addCertificate(pem);
            protocol.addSslHostConfig(tls);
            factory.addAdditionalTomcatConnectors(connector);
        };
    }

    private static String readable(String setting, String file) {
        if (file == null || file.isBlank() || !Files.isReadable(Path.of(file))) {
            throw new IllegalStateException(setting + " must name a readable PEM file for the metrics port's TLS, got '"
                    + file + "' (on OpenShift: the Service's serving certificate Secret, mounted into the pod)");
        }
        return file;
    }
}

package io.dvdrental.pipelines.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator account: it may start batch runs, use Hawtio and read the actuator beyond health. There is no
 * default password: locally {@code ./dvd} makes one per stack; on OpenShift it comes from a Secret.
 * An optional read-only viewer account (role VIEWER) signs in but is refused everything the operator role guards.
 * An optional scrape-only account (role METRICS, {@link Metrics}) reads the Prometheus metrics and nothing else.
 */
@ConfigurationProperties(prefix = "dvd.security")
public record SecurityProperties(String adminUser, String adminPassword, String viewerUser, String viewerPassword,
                                 Metrics metrics) {

    public String user() {
        return adminUser == null || adminUser.isBlank() ? "admin" : adminUser;
    }

    /**
     * Prometheus's account, and optionally a port of its own that serves {@code /actuator/prometheus} only, over
     * TLS with the given PEM certificate and key (on OpenShift, the Service's serving certificate).
     */
    public record Metrics(String user, String password, Integer port, String certificate, String privateKey) {

        public boolean hasAccount() {
            return user != null && !user.isBlank() && password != null && !password.isBlank();
        }
    }
}

package io.dvdrental.pipelines.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator account: it may start batch runs, use Hawtio and read the actuator beyond health. There is no
 * default password: locally {@code ./dvd} makes one per stack; on OpenShift it comes from a Secret.
 * An optional read-only viewer account (role VIEWER) signs in but is refused everything the operator role guards.
 */
@ConfigurationProperties(prefix = "dvd.security")
public record SecurityProperties(String adminUser, String adminPassword, String viewerUser, String viewerPassword) {

    public String user() {
        return adminUser == null || adminUser.isBlank() ? "admin" : adminUser;
    }
}

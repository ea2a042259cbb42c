package io.dvdrental.pipelines.hawtio;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator account: it may start batch runs, use Hawtio and read the actuator beyond health. There is no
 * default password: locally {@code ./dvd} makes one per stack; on OpenShift it comes from a Secret.
 */
@ConfigurationProperties(prefix = "dvd.security")
public record SecurityProperties(String adminUser, String adminPassword) {

    public String user() {
        return adminUser == null || adminUser.isBlank() ? "admin" : adminUser;
    }
}

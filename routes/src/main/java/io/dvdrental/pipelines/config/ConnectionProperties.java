package io.dvdrental.pipelines.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the server's real services are: the source OLTP database, the server's own state database, the
 * ClickHouse warehouse, Kafka and S3. Locally {@code ./dvd} fills these from the running stack
 * ({@code DVD_SOURCE_URL}, ...); on OpenShift they come from the ConfigMap and Secrets.
 */
@Validated
@ConfigurationProperties(prefix = "dvd")
public record ConnectionProperties(@Valid @NotNull Jdbc source, @Valid @NotNull Jdbc state,
                                   @Valid @NotNull Jdbc warehouse, @Valid @NotNull Kafka kafka,
                                   @Valid @NotNull S3 s3, Postgres postgres) {

    public ConnectionProperties {
        if (postgres != null && postgres.requireVerifiedTls()) {
            PostgresTls.requireVerified("dvd.source.url", source == null ? null : source.url());
            PostgresTls.requireVerified("dvd.state.url", state == null ? null : state.url());
        }
    }

    /**
     * {@code requireVerifiedTls} (the prod profile): both PostgreSQL URLs must check the server's certificate
     * ({@code sslmode=verify-full} or {@code verify-ca}), or the server does not start.
     */
    public record Postgres(boolean requireVerifiedTls) {
    }

    public record Jdbc(@NotBlank String url, String username, String password, Integer maxPoolSize) {

        public int poolSize(int fallback) {
            return maxPoolSize == null ? fallback : maxPoolSize;
        }
    }

    public record Kafka(@NotBlank String brokers) {
    }

    /** An empty endpoint means AWS itself; empty keys mean the default AWS credentials chain (pod role). */
    public record S3(String endpoint, @NotBlank String region, String accessKey, String secretKey,
                     boolean pathStyle, @NotBlank String bucket) {
    }
}

package io.dvdrental.pipelines.cdc;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Settings of change data capture ({@code config/spring/batch.yml}, prefix {@code dvd.cdc}; on when
 * {@code dvd.batch.capture=cdc}).
 *
 * @param captureName       the capture's name: its state in the state database and its endpoint
 * @param slot              the replication slot the server creates on the source (and drops when capture is off)
 * @param publication       the publication of the captured tables the server creates on the source
 * @param excludedColumns   {@code table.column} never read from the source
 * @param pollInterval      longest wait for more changes before a batch goes to bronze
 * @param maxBatchSize      most changes per batch
 * @param heartbeatInterval how often the slot is confirmed while no captured table changes
 * @param backoff           first wait before a failed capture starts again (doubling up to {@code maxBackoff})
 * @param lag               when the slot's lag is a warning, and when readiness goes DOWN
 * @param catchUpTimeout    how long a batch run waits for bronze to hold the changes up to its start
 */
@Validated
@ConfigurationProperties(prefix = "dvd.cdc")
public record CaptureProperties(@Pattern(regexp = "[a-z][a-z0-9_]*") String captureName,
                                @Pattern(regexp = "[a-z_][a-z0-9_]*") String slot,
                                @Pattern(regexp = "[a-z_][a-z0-9_]*") String publication,
                                @NotNull List<String> excludedColumns, @NotNull Duration pollInterval,
                                @Min(1) int maxBatchSize, @NotNull Duration heartbeatInterval,
                                @NotNull Duration backoff, @NotNull Duration maxBackoff, @Valid @NotNull Lag lag,
                                @NotNull Duration catchUpTimeout) {

    /** Lag of the slot in seconds (since bronze last held everything the source had) and in bytes of WAL. */
    public record Lag(@NotNull Duration sampleInterval, @Min(1) long warnSeconds, @Min(1) long warnBytes,
                      @Min(1) long downSeconds, @Min(1) long downBytes) {
    }
}

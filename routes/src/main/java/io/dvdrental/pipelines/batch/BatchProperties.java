package io.dvdrental.pipelines.batch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Settings of the batch pipeline ({@code config/spring/batch.yml}).
 *
 * @param lookback        incremental reads start this long before the watermark: a row whose transaction took its
 *                        last_update before the last read and committed after it is still read, if that transaction
 *                        was shorter than this (re-read rows are deduplicated in silver)
 * @param keyLookback     the same for tables read by an increasing key (payment): reads start this many ids below the
 *                        highest read, for an id taken by a transaction that committed after higher ids
 * @param chunkSize       the most bytes of the source's COPY text (whole lines) per exchange and ClickHouse insert;
 *                        the extract holds at most two chunks per table read in parallel
 * @param parallelism     source tables extracted at the same time
 * @param modelParallelism models of a layer built at the same time (each once those it depends on are)
 * @param capture         how bronze gets the source's rows: {@code cursor} (runs read by {@code last_update}) or
 *                        {@code cdc} (every change from the write-ahead log, as it happens; see {@code dvd.cdc})
 */
@ConfigurationProperties(prefix = "dvd.batch")
public record BatchProperties(@DefaultValue Schedule schedule,
                              @DefaultValue("PT10M") Duration lookback,
                              @DefaultValue("10000") long keyLookback,
                              @DefaultValue("4MB") DataSize chunkSize,
                              @DefaultValue("4") int parallelism,
                              @DefaultValue("2") int modelParallelism,
                              @DefaultValue Freshness freshness,
                              @DefaultValue("true") boolean exportEnabled,
                              @DefaultValue("cursor") Capture capture) {

    /** How bronze gets the source's rows. */
    public enum Capture { CURSOR, CDC }

    /**
     * @param enabled     off in the test profile: tests start runs themselves
     * @param dailyCron   the full chain: extract, silver, gold, quality, export (Quartz cron, clustered)
     * @param dimDateCron dim_date and what depends on it
     * @param cdcCron     with capture {@code cdc} only: the same chain on a short schedule (its extract steps are the
     *                    wait for the capture, and models whose upstreams did not change are left alone)
     */
    public record Schedule(@DefaultValue("true") boolean enabled,
                           @DefaultValue("0 0 2 * * ?") String dailyCron,
                           @DefaultValue("0 5 0 * * ?") String dimDateCron,
                           @DefaultValue("0 * * * * ?") String cdcCron) {
    }

    /** Source freshness: how long since a bronze table last received rows. */
    public record Freshness(@DefaultValue("P1D") Duration warnAfter, @DefaultValue("P2D") Duration errorAfter) {
    }
}

package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.insights.BatchInsights.FilmRentals;
import io.dvdrental.pipelines.insights.InsightsParameters.DateRange;
import io.dvdrental.pipelines.support.RealServicesTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Batch answers kept while gold stays as it was, on the real warehouse: gold's version changes with what a batch run
 * writes (a freshness mark, rows, a model swapped in by EXCHANGE TABLES) and with nothing else, so a kept answer is
 * the one gold would give, and a changed gold is read again once the version has been looked up again.
 */
@RealServicesTest
class GoldVersionTest {

    @Autowired
    GoldVersion gold;

    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;

    @Autowired
    @Qualifier("insightsJdbcTemplate")
    NamedParameterJdbcTemplate readers;

    @Autowired
    StreamInsights stream;

    @Autowired
    InsightsProperties props;

    @Test
    void goldsVersionChangesWithWhatABatchRunWritesAndWithNothingElse() {
        new InsightsFixture(warehouse).load();
        JdbcTemplate sql = warehouse.getJdbcTemplate();
        String loaded = gold.current();
        sql.queryForObject("SELECT count() FROM gold.report_rentals", Long.class);
        assertThat(gold.current()).as("read, not written").isEqualTo(loaded);

        sql.execute("INSERT INTO gold.batch_freshness (run_id, refreshed_at, models) VALUES ('next-run', now64(3), [])");
        String marked = gold.current();
        assertThat(marked).as("a freshness mark").isNotEqualTo(loaded);

        // A model's rebuild as ModelRunner does it: the same rows built beside it and swapped in.
        sql.execute("DROP TABLE IF EXISTS gold.report_rentals__rebuilt");
        sql.execute("CREATE TABLE gold.report_rentals__rebuilt AS gold.report_rentals");
        sql.execute("INSERT INTO gold.report_rentals__rebuilt SELECT * FROM gold.report_rentals");
        sql.execute("EXCHANGE TABLES gold.report_rentals__rebuilt AND gold.report_rentals");
        sql.execute("DROP TABLE gold.report_rentals__rebuilt");
        assertThat(gold.current()).as("the report swapped in").isNotEqualTo(marked);
    }

    @Test
    void aBatchAnswerIsKeptWhileGoldStaysAsItWasAndReadAgainOnceGoldChanged() {
        new InsightsFixture(warehouse).load();
        AtomicInteger readings = new AtomicInteger();
        BatchInsights counted = new BatchInsights(readers) {
            @Override
            public List<FilmRentals> topFilms(DateRange dates, int limit) {
                readings.incrementAndGet();
                return super.topFilms(dates, limit);
            }
        };
        AtomicLong nanos = new AtomicLong();
        InsightsController api = new InsightsController(counted, stream, props,
                new InsightsCache(Duration.ofSeconds(5), nanos::get), gold);

        List<FilmRentals> first = api.topFilms(null, null, "1");
        assertThat(first).extracting(FilmRentals::title).containsExactly("Academy Dinosaur");
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(api.topFilms(null, null, "1")).as("five minutes on, gold unchanged").isEqualTo(first);
        assertThat(readings).hasValue(1);

        warehouse.getJdbcTemplate().execute("""
                INSERT INTO gold.report_rentals (rental_id, rental_date, film_id, film_title, rental_date_day)
                SELECT 100 + number, toDateTime('2005-08-02 10:00:00'), 99, 'Zorro Ark', toDate('2005-08-02')
                FROM numbers(4)""");
        assertThat(api.topFilms(null, null, "1")).as("within the ttl the version is not looked up again")
                .isEqualTo(first);
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(api.topFilms(null, null, "1")).as("gold changed: 4 rentals of Zorro Ark")
                .extracting(FilmRentals::title, FilmRentals::rentals).containsExactly(tuple("Zorro Ark", 4L));
        assertThat(readings).hasValue(2);
    }
}

package io.dvdrental.pipelines.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvdrental.pipelines.support.RealServicesTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every insights endpoint on the known rows of {@link InsightsFixture}; each expected answer is worked out by hand
 * from those rows (comments show how). Bad parameters get a 400 that names the parameter.
 */
@RealServicesTest
class InsightsApiTest {

    @Autowired
    TestRestTemplate http;

    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;

    final ObjectMapper json = new ObjectMapper();
    /** Loaded once for the class (not in a per-class lifecycle, which keeps Camel's test support from starting Camel). */
    static InsightsFixture fixture;

    @BeforeEach
    void loadKnownRowsOnce() {
        if (fixture == null) {
            fixture = new InsightsFixture(warehouse).load();
        }
    }

    @AfterAll
    static void forgetRows() {
        fixture = null;
    }

    private JsonNode get(String path) throws Exception {
        ResponseEntity<String> response = http.getForEntity(path, String.class);
        assertThat(response.getStatusCode().value()).as(path + " -> " + response.getBody()).isEqualTo(200);
        return json.readTree(response.getBody());
    }

    private void assertJson(String path, String expected) throws Exception {
        assertThat(get(path)).as(path).isEqualTo(json.readTree(expected.replace('\'', '"')));
    }

    @Test
    void topFilmsRankByRentalsThenTitle() throws Exception {
        // Academy Dinosaur: rentals 1, 2, 4; Ace Goldfinger: 3, 6, 10; Adaptation Holes: 5, 8; the others one each.
        assertJson("/api/insights/batch/top-films", """
                [{'title':'Academy Dinosaur','rentals':3},{'title':'Ace Goldfinger','rentals':3},
                 {'title':'Adaptation Holes','rentals':2},{'title':'Affair Prejudice','rentals':1},
                 {'title':'African Egg','rentals':1}]""");
        assertJson("/api/insights/batch/top-films?limit=2", """
                [{'title':'Academy Dinosaur','rentals':3},{'title':'Ace Goldfinger','rentals':3}]""");
    }

    @Test
    void topFilmsBetweenTwoDatesBothIncluded() throws Exception {
        // Rentals 4 to 8 (2005-06-14 .. 2005-07-09): Adaptation Holes 5, 8; the others one each.
        assertJson("/api/insights/batch/top-films?from=2005-06-01&to=2005-07-09", """
                [{'title':'Adaptation Holes','rentals':2},{'title':'Academy Dinosaur','rentals':1},
                 {'title':'Ace Goldfinger','rentals':1},{'title':'Affair Prejudice','rentals':1}]""");
        assertJson("/api/insights/batch/top-films?from=2005-08-01", "[{'title':'Ace Goldfinger','rentals':1}]");
        assertJson("/api/insights/batch/top-films?to=2005-05-24", "[{'title':'Academy Dinosaur','rentals':1}]");
    }

    @Test
    void topCategories() throws Exception {
        // Documentary: films 1 (3) + 3 (2); Horror: films 2 (3) + 4 (1); Family: film 5 (1).
        assertJson("/api/insights/batch/top-categories", """
                [{'category':'Documentary','rentals':5},{'category':'Horror','rentals':4},
                 {'category':'Family','rentals':1}]""");
        // From July: Horror 7, 10; Documentary 8; Family 9.
        assertJson("/api/insights/batch/top-categories?limit=1&from=2005-07-01",
                "[{'category':'Horror','rentals':2}]");
    }

    @Test
    void rentalsByWeekdayPerCategoryMondayFirst() throws Exception {
        // Documentary: Tue (1, 4), Wed (2, 5), Sat (8); Family: Sun (9); Horror: Mon (3, 10), Tue (7), Thu (6).
        assertJson("/api/insights/batch/rentals-by-weekday", """
                [{'category':'Documentary','weekday':'Tuesday','rentals':2},
                 {'category':'Documentary','weekday':'Wednesday','rentals':2},
                 {'category':'Documentary','weekday':'Saturday','rentals':1},
                 {'category':'Family','weekday':'Sunday','rentals':1},
                 {'category':'Horror','weekday':'Monday','rentals':2},
                 {'category':'Horror','weekday':'Tuesday','rentals':1},
                 {'category':'Horror','weekday':'Thursday','rentals':1}]""");
    }

    @Test
    void rentalsByCountry() throws Exception {
        // India: 4, 5, 9, 10; Japan: 1, 3, 6, 8; Brazil: 2, 7.
        assertJson("/api/insights/batch/rentals-by-country", """
                [{'country':'India','rentals':4},{'country':'Japan','rentals':4},{'country':'Brazil','rentals':2}]""");
    }

    @Test
    void averageDurationOfReturnedRentalsByCountry() throws Exception {
        // Returned only: Brazil 6, 8 -> 7.0; India 5, 4 -> 4.5 (4 and 9 not returned); Japan 3, 2, 1, 1 -> 1.75.
        assertJson("/api/insights/batch/avg-rental-duration-by-country", """
                [{'country':'Brazil','avgDays':7.0,'rentals':2},{'country':'India','avgDays':4.5,'rentals':2},
                 {'country':'Japan','avgDays':1.75,'rentals':4}]""");
        assertJson("/api/insights/batch/avg-rental-duration-by-country?limit=1",
                "[{'country':'Brazil','avgDays':7.0,'rentals':2}]");
    }

    @Test
    void batchFreshnessIsTheNewestRentalAndTheLastRefreshOfGold() throws Exception {
        JsonNode freshness = get("/api/insights/batch/freshness");
        assertThat(freshness.get("rentals").asLong()).isEqualTo(10);
        // Rental 10 is the newest: 2005-08-01 19:00 in the warehouse's time zone.
        long newest = warehouse.getJdbcTemplate().queryForObject(
                "SELECT toInt64(toUnixTimestamp(toDateTime('2005-08-01 19:00:00')))", Long.class);
        assertThat(Instant.parse(freshness.get("latestRental").asText())).isEqualTo(Instant.ofEpochSecond(newest));
        long refreshed = warehouse.getJdbcTemplate().queryForObject("SELECT toUnixTimestamp64Milli(toDateTime64('"
                + InsightsFixture.REFRESHED_AT + "', 3))", Long.class);
        assertThat(Instant.parse(freshness.get("refreshedAt").asText())).isEqualTo(Instant.ofEpochMilli(refreshed));
    }

    @Test
    void trendingFilmsInTheWindow() throws Exception {
        // Last 15 minutes: film 1 = 5 + 3 + 1 + 2, film 2 = 2 + 2, film 3 = 4; film 5 is 20 minutes old.
        assertJson("/api/insights/stream/trending-films", """
                [{'filmId':1,'title':'Academy Dinosaur','category':'Documentary','clicks':11},
                 {'filmId':2,'title':'Ace Goldfinger','category':'Horror','clicks':4},
                 {'filmId':3,'title':'Adaptation Holes','category':'Documentary','clicks':4}]""");
        assertJson("/api/insights/stream/trending-films?minutes=30&limit=1",
                "[{'filmId':5,'title':'African Egg','category':'Family','clicks':100}]");
    }

    @Test
    void topCategoriesInTheWindow() throws Exception {
        assertJson("/api/insights/stream/top-categories", """
                [{'category':'Documentary','clicks':15},{'category':'Horror','clicks':4}]""");
        assertJson("/api/insights/stream/top-categories?minutes=30", """
                [{'category':'Family','clicks':100},{'category':'Documentary','clicks':15},
                 {'category':'Horror','clicks':4}]""");
    }

    @Test
    void activeUsersCountsEachUserOnceOverTheWindow() throws Exception {
        // u1..u4 in the window (u1 and u2 twice); u9 is 20 minutes old.
        assertJson("/api/insights/stream/active-users", """
                {'total':4,'perMinute':[{'minute':'%s','users':3},{'minute':'%s','users':2},
                 {'minute':'%s','users':1}]}""".formatted(iso(2), iso(1), iso(0)));
        assertThat(get("/api/insights/stream/active-users?minutes=30").get("total").asLong()).isEqualTo(5);
    }

    @Test
    void clicksPerMinute() throws Exception {
        assertJson("/api/insights/stream/clicks-per-minute", """
                [{'minute':'%s','clicks':7},{'minute':'%s','clicks':7},{'minute':'%s','clicks':5}]"""
                .formatted(iso(2), iso(1), iso(0)));
    }

    @Test
    void deviceActivity() throws Exception {
        assertJson("/api/insights/stream/device-activity", """
                [{'device':'desktop','eventType':'view','clicks':7},{'device':'mobile','eventType':'view','clicks':3},
                 {'device':'mobile','eventType':'click','clicks':2},
                 {'device':'tablet','eventType':'add_to_cart','clicks':1}]""");
    }

    @Test
    void eventFunnel() throws Exception {
        assertJson("/api/insights/stream/event-funnel", """
                [{'eventType':'view','clicks':10},{'eventType':'click','clicks':2},
                 {'eventType':'add_to_cart','clicks':1},{'eventType':'purchase','clicks':1}]""");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/insights/batch/top-films?limit=0                         | limit",
            "/api/insights/batch/top-films?limit=101                       | limit",
            "/api/insights/batch/top-films?limit=ten                       | limit",
            "/api/insights/batch/top-films?limit=1;DROP TABLE x            | limit",
            "/api/insights/batch/top-categories?from=yesterday             | from",
            "/api/insights/batch/rentals-by-weekday?to=2005-13-01          | to",
            "/api/insights/batch/rentals-by-country?from=2005-08-01&to=2005-07-01 | to",
            "/api/insights/batch/avg-rental-duration-by-country?limit=-1   | limit",
            "/api/insights/stream/trending-films?minutes=0                 | minutes",
            "/api/insights/stream/top-categories?limit=x                   | limit",
            "/api/insights/stream/active-users?minutes=1441                | minutes",
            "/api/insights/stream/clicks-per-minute?minutes=15'            | minutes",
            "/api/insights/stream/device-activity?minutes=                 | minutes",
            "/api/insights/stream/event-funnel?minutes=1.5                 | minutes",
    })
    void badParametersAreRefusedNamingTheParameter(String path, String parameter) throws Exception {
        ResponseEntity<String> response = http.getForEntity(path, String.class);
        assertThat(response.getStatusCode().value()).as(path + " -> " + response.getBody()).isEqualTo(400);
        JsonNode body = json.readTree(response.getBody());
        assertThat(body.get("parameter").asText()).isEqualTo(parameter);
        assertThat(body.get("error").asText()).contains(parameter);
    }

    private String iso(int minutesAgo) {
        return Instant.ofEpochSecond(fixture.minute(minutesAgo)).toString();
    }
}

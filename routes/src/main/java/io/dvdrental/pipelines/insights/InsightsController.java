package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.insights.BatchInsights.CategoryRentals;
import io.dvdrental.pipelines.insights.BatchInsights.CountryDuration;
import io.dvdrental.pipelines.insights.BatchInsights.CountryRentals;
import io.dvdrental.pipelines.insights.BatchInsights.FilmRentals;
import io.dvdrental.pipelines.insights.BatchInsights.Freshness;
import io.dvdrental.pipelines.insights.BatchInsights.WeekdayRentals;
import io.dvdrental.pipelines.insights.InsightsParameters.DateRange;
import io.dvdrental.pipelines.insights.StreamInsights.ActiveUsers;
import io.dvdrental.pipelines.insights.StreamInsights.CategoryClicks;
import io.dvdrental.pipelines.insights.StreamInsights.DeviceActivity;
import io.dvdrental.pipelines.insights.StreamInsights.EventClicks;
import io.dvdrental.pipelines.insights.StreamInsights.MinuteClicks;
import io.dvdrental.pipelines.insights.StreamInsights.TrendingFilm;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.function.Supplier;

/**
 * The read-only JSON API behind the dashboards: batch answers from gold, live ones from the stream tables. A live
 * answer is kept for a few seconds ({@link InsightsCache}), keyed by the question and its checked parameters; a batch
 * answer for as long as gold stays as it was ({@link GoldVersion}, looked up at most as often).
 */
@RestController
@RequestMapping("/api/insights")
public class InsightsController {

    private final BatchInsights batch;
    private final StreamInsights stream;
    private final InsightsParameters params;
    private final InsightsCache cache;
    private final GoldVersion gold;

    public InsightsController(BatchInsights batch, StreamInsights stream, InsightsProperties props,
                              InsightsCache cache, GoldVersion gold) {
        this.batch = batch;
        this.stream = stream;
        this.params = new InsightsParameters(props);
        this.cache = cache;
        this.gold = gold;
    }

    @GetMapping("/batch/top-films")
    public List<FilmRentals> topFilms(@RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to,
                                      @RequestParam(required = false) String limit) {
        DateRange dates = params.dates(from, to);
        int rows = params.limit(limit);
        return fromGold("batch/top-films " + dates + " " + rows, () -> batch.topFilms(dates, rows));
    }

    @GetMapping("/batch/top-categories")
    public List<CategoryRentals> topCategories(@RequestParam(required = false) String from,
                                               @RequestParam(required = false) String to,
                                               @RequestParam(required = false) String limit) {
        DateRange dates = params.dates(from, to);
        int rows = params.limit(limit);
        return fromGold("batch/top-categories " + dates + " " + rows, () -> batch.topCategories(dates, rows));
    }

    @GetMapping("/batch/rentals-by-weekday")
    public List<WeekdayRentals> rentalsByWeekday(@RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to) {
        DateRange dates = params.dates(from, to);
        return fromGold("batch/rentals-by-weekday " + dates, () -> batch.rentalsByWeekday(dates));
    }

    @GetMapping("/batch/rentals-by-country")
    public List<CountryRentals> rentalsByCountry(@RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to) {
        DateRange dates = params.dates(from, to);
        return fromGold("batch/rentals-by-country " + dates, () -> batch.rentalsByCountry(dates));
    }

    @GetMapping("/batch/avg-rental-duration-by-country")
    public List<CountryDuration> avgRentalDurationByCountry(@RequestParam(required = false) String from,
                                                            @RequestParam(required = false) String to,
                                                            @RequestParam(required = false) String limit) {
        DateRange dates = params.dates(from, to);
        int rows = params.limit(limit);
        return fromGold("batch/avg-rental-duration-by-country " + dates + " " + rows,
                () -> batch.avgRentalDurationByCountry(dates, rows));
    }

    @GetMapping("/batch/freshness")
    public Freshness freshness() {
        return fromGold("batch/freshness", batch::freshness);
    }

    @GetMapping("/stream/trending-films")
    public List<TrendingFilm> trendingFilms(@RequestParam(required = false) String minutes,
                                            @RequestParam(required = false) String limit) {
        int window = params.minutes(minutes);
        int rows = params.limit(limit);
        return cache.get("stream/trending-films " + window + " " + rows, () -> stream.trendingFilms(window, rows));
    }

    @GetMapping("/stream/top-categories")
    public List<CategoryClicks> streamTopCategories(@RequestParam(required = false) String minutes,
                                                    @RequestParam(required = false) String limit) {
        int window = params.minutes(minutes);
        int rows = params.limit(limit);
        return cache.get("stream/top-categories " + window + " " + rows, () -> stream.topCategories(window, rows));
    }

    @GetMapping("/stream/active-users")
    public ActiveUsers activeUsers(@RequestParam(required = false) String minutes) {
        int window = params.minutes(minutes);
        return cache.get("stream/active-users " + window, () -> stream.activeUsers(window));
    }

    @GetMapping("/stream/clicks-per-minute")
    public List<MinuteClicks> clicksPerMinute(@RequestParam(required = false) String minutes) {
        int window = params.minutes(minutes);
        return cache.get("stream/clicks-per-minute " + window, () -> stream.clicksPerMinute(window));
    }

    @GetMapping("/stream/device-activity")
    public List<DeviceActivity> deviceActivity(@RequestParam(required = false) String minutes) {
        int window = params.minutes(minutes);
        return cache.get("stream/device-activity " + window, () -> stream.deviceActivity(window));
    }

    @GetMapping("/stream/event-funnel")
    public List<EventClicks> eventFunnel(@RequestParam(required = false) String minutes) {
        int window = params.minutes(minutes);
        return cache.get("stream/event-funnel " + window, () -> stream.eventFunnel(window));
    }

    private <T> T fromGold(String question, Supplier<T> answer) {
        return cache.get(question, () -> cache.get("batch/gold-version", gold::current), answer);
    }
}

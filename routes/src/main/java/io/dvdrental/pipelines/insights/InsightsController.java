package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.insights.BatchInsights.CategoryRentals;
import io.dvdrental.pipelines.insights.BatchInsights.CountryDuration;
import io.dvdrental.pipelines.insights.BatchInsights.CountryRentals;
import io.dvdrental.pipelines.insights.BatchInsights.FilmRentals;
import io.dvdrental.pipelines.insights.BatchInsights.Freshness;
import io.dvdrental.pipelines.insights.BatchInsights.WeekdayRentals;
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

/** The read-only JSON API behind the dashboards: batch answers from gold, live ones from the stream tables. */
@RestController
@RequestMapping("/api/insights")
public class InsightsController {

    private final BatchInsights batch;
    private final StreamInsights stream;
    private final InsightsParameters params;

    public InsightsController(BatchInsights batch, StreamInsights stream, InsightsProperties props) {
        this.batch = batch;
        this.stream = stream;
        this.params = new InsightsParameters(props);
    }

    @GetMapping("/batch/top-films")
    public List<FilmRentals> topFilms(@RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to,
                                      @RequestParam(required = false) String limit) {
        return batch.topFilms(params.dates(from, to), params.limit(limit));
    }

    @GetMapping("/batch/top-categories")
    public List<CategoryRentals> topCategories(@RequestParam(required = false) String from,
                                               @RequestParam(required = false) String to,
                                               @RequestParam(required = false) String limit) {
        return batch.topCategories(params.dates(from, to), params.limit(limit));
    }

    @GetMapping("/batch/rentals-by-weekday")
    public List<WeekdayRentals> rentalsByWeekday(@RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to) {
        return batch.rentalsByWeekday(params.dates(from, to));
    }

    @GetMapping("/batch/rentals-by-country")
    public List<CountryRentals> rentalsByCountry(@RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to) {
        return batch.rentalsByCountry(params.dates(from, to));
    }

    @GetMapping("/batch/avg-rental-duration-by-country")
    public List<CountryDuration> avgRentalDurationByCountry(@RequestParam(required = false) String from,
                                                            @RequestParam(required = false) String to,
                                                            @RequestParam(required = false) String limit) {
        return batch.avgRentalDurationByCountry(params.dates(from, to), params.limit(limit));
    }

    @GetMapping("/batch/freshness")
    public Freshness freshness() {
        return batch.freshness();
    }

    @GetMapping("/stream/trending-films")
    public List<TrendingFilm> trendingFilms(@RequestParam(required = false) String minutes,
                                            @RequestParam(required = false) String limit) {
        return stream.trendingFilms(params.minutes(minutes), params.limit(limit));
    }

    @GetMapping("/stream/top-categories")
    public List<CategoryClicks> streamTopCategories(@RequestParam(required = false) String minutes,
                                                    @RequestParam(required = false) String limit) {
        return stream.topCategories(params.minutes(minutes), params.limit(limit));
    }

    @GetMapping("/stream/active-users")
    public ActiveUsers activeUsers(@RequestParam(required = false) String minutes) {
        return stream.activeUsers(params.minutes(minutes));
    }

    @GetMapping("/stream/clicks-per-minute")
    public List<MinuteClicks> clicksPerMinute(@RequestParam(required = false) String minutes) {
        return stream.clicksPerMinute(params.minutes(minutes));
    }

    @GetMapping("/stream/device-activity")
    public List<DeviceActivity> deviceActivity(@RequestParam(required = false) String minutes) {
        return stream.deviceActivity(params.minutes(minutes));
    }

    @GetMapping("/stream/event-funnel")
    public List<EventClicks> eventFunnel(@RequestParam(required = false) String minutes) {
        return stream.eventFunnel(params.minutes(minutes));
    }
}

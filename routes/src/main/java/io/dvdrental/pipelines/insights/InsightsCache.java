package io.dvdrental.pipelines.insights;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Answers of the read API for {@code dvd.insights.cache-ttl}: the dashboards of every reader ask the same questions
 * every 10 s, and one answer serves them all. Answers over data that changes seldom (gold changes once per batch run)
 * are kept instead for as long as that data's version stays the same, the version itself looked up at most once per
 * ttl. Callers asking the same question at once wait for one computation; a failure is not kept (the next caller asks
 * again). At most {@value #MAX_ANSWERS} answers of each kind are kept, so questions made up by a caller (any date
 * range) cannot grow it without bound.
 */
@Component
public class InsightsCache {

    static final int MAX_ANSWERS = 1_000;
    /** An answer of an old version is never asked for again: it goes once nobody has asked for it this long. */
    static final Duration UNASKED = Duration.ofMinutes(10);

    private final Cache<String, Object> answers;
    private final Cache<String, Object> versionedAnswers;

    @Autowired
    public InsightsCache(InsightsProperties props) {
        this(props.cacheTtl(), Ticker.systemTicker());
    }

    InsightsCache(Duration ttl, Ticker ticker) {
        this.answers = ttl.isZero() ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_ANSWERS).ticker(ticker).build();
        this.versionedAnswers = ttl.isZero() ? null
                : Caffeine.newBuilder().expireAfterAccess(UNASKED).maximumSize(MAX_ANSWERS).ticker(ticker).build();
    }

    /** The answer to {@code question}, computed by {@code answer} unless a fresh one is kept. */
    @SuppressWarnings("unchecked")
    public <T> T get(String question, Supplier<T> answer) {
        return answers == null ? answer.get() : (T) answers.get(question, q -> answer.get());
    }

    /**
     * The answer to {@code question} over data whose {@code version} is given: computed by {@code answer} once per
     * version. The version is asked only when answers are kept at all.
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String question, Supplier<String> version, Supplier<T> answer) {
        return versionedAnswers == null ? answer.get()
                : (T) versionedAnswers.get(question + " @ " + version.get(), q -> answer.get());
    }
}

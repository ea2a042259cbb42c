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
 * every 10 s, and one answer serves them all. Callers asking the same question at once wait for one computation;
 * a failure is not kept (the next caller asks again). At most {@value #MAX_ANSWERS} answers are kept, so questions
 * made up by a caller (any date range) cannot grow it without bound.
 */
@Component
public class InsightsCache {

    static final int MAX_ANSWERS = 1_000;

    private final Cache<String, Object> answers;

    @Autowired
    public InsightsCache(InsightsProperties props) {
        this(props.cacheTtl(), Ticker.systemTicker());
    }

    InsightsCache(Duration ttl, Ticker ticker) {
        this.answers = ttl.isZero() ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_ANSWERS).ticker(ticker).build();
    }

    /** The answer to {@code question}, computed by {@code answer} unless a fresh one is kept. */
    @SuppressWarnings("unchecked")
    public <T> T get(String question, Supplier<T> answer) {
        return answers == null ? answer.get() : (T) answers.get(question, q -> answer.get());
    }
}

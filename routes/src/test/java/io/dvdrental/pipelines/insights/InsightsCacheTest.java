package io.dvdrental.pipelines.insights;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InsightsCacheTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger computed = new AtomicInteger();

    private String answer() {
        return "answer " + computed.incrementAndGet();
    }

    @Test
    void theSameQuestionIsAnsweredOnceUntilTheAnswerIsOlderThanTheTtl() {
        InsightsCache cache = new InsightsCache(Duration.ofSeconds(5), nanos::get);
        assertThat(cache.get("stream/trending-films 15 10", this::answer)).isEqualTo("answer 1");
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(cache.get("stream/trending-films 15 10", this::answer)).isEqualTo("answer 1");
        assertThat(cache.get("stream/trending-films 60 10", this::answer)).as("another question").isEqualTo("answer 2");
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(cache.get("stream/trending-films 15 10", this::answer)).isEqualTo("answer 3");
    }

    @Test
    void callersAskingTogetherWaitForOneAnswer() throws Exception {
        InsightsCache cache = new InsightsCache(Duration.ofSeconds(5), nanos::get);
        CountDownLatch asking = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(callers.submit(() -> cache.get("batch/top-films", () -> {
                    try {
                        asking.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return answer();
                })));
            }
            asking.countDown();
            for (Future<String> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("answer 1");
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(computed).hasValue(1);
    }

    @Test
    void aFailureIsNotKept() {
        InsightsCache cache = new InsightsCache(Duration.ofSeconds(5), nanos::get);
        assertThatThrownBy(() -> cache.get("batch/freshness", () -> {
            throw new IllegalStateException("warehouse away");
        })).hasMessage("warehouse away");
        assertThat(cache.get("batch/freshness", this::answer)).isEqualTo("answer 1");
    }

    @Test
    void aZeroTtlAnswersEveryCallAfresh() {
        InsightsCache cache = new InsightsCache(Duration.ZERO, nanos::get);
        cache.get("stream/event-funnel 15", this::answer);
        cache.get("stream/event-funnel 15", this::answer);
        assertThat(computed).hasValue(2);
    }

    @Test
    void anAnswerOverVersionedDataIsKeptUntilTheVersionChanges() {
        InsightsCache cache = new InsightsCache(Duration.ofSeconds(5), nanos::get);
        AtomicReference<String> gold = new AtomicReference<>("run 1");
        assertThat(cache.get("batch/top-films", gold::get, this::answer)).isEqualTo("answer 1");
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(cache.get("batch/top-films", gold::get, this::answer)).as("gold unchanged").isEqualTo("answer 1");
        gold.set("run 2");
        assertThat(cache.get("batch/top-films", gold::get, this::answer)).isEqualTo("answer 2");
        assertThat(cache.get("batch/top-films", gold::get, this::answer)).isEqualTo("answer 2");
    }

    @Test
    void aZeroTtlAnswersVersionedQuestionsAfreshWithoutAskingTheVersion() {
        InsightsCache cache = new InsightsCache(Duration.ZERO, nanos::get);
        Supplier<String> version = () -> {
            throw new AssertionError("the version was asked");
        };
        cache.get("batch/freshness", version, this::answer);
        cache.get("batch/freshness", version, this::answer);
        assertThat(computed).hasValue(2);
    }
}

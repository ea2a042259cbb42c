package io.dvdrental.pipelines.health;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedHealthTest {

    @Test
    void aCheckThatHangsIsDownInTimeAndRunsOnceHoweverManyProbesCome() throws Exception {
        CountDownLatch serviceAnswers = new CountDownLatch(1);
        AtomicInteger checks = new AtomicInteger();
        BoundedHealth health = new BoundedHealth("hung", () -> {
            checks.incrementAndGet();
            try {
                serviceAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Health.up().build();
        }, Duration.ofMillis(100));

        for (int probe = 0; probe < 3; probe++) {
            Health answer = health.health();
            assertThat(answer.getStatus()).isEqualTo(Status.DOWN);
            assertThat(answer.getDetails().get("reason").toString()).startsWith("no answer within 100 ms");
        }
        assertThat(checks).as("one check waited for, not one per probe").hasValue(1);

        serviceAnswers.countDown();
        Thread.sleep(50);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aCheckThatAnswersInTimeIsPassedOnAndAFailedOneIsDownWithItsError() {
        assertThat(new BoundedHealth("fine", () -> Health.up().withDetail("tables", 7).build(), Duration.ofSeconds(5))
                .health().getDetails()).containsEntry("tables", 7);
        Health failed = new BoundedHealth("broken", () -> {
            throw new IllegalStateException("connection refused");
        }, Duration.ofSeconds(5)).health();
        assertThat(failed.getStatus()).isEqualTo(Status.DOWN);
        assertThat(failed.getDetails().get("error").toString()).contains("connection refused");
    }
}

package io.dvdrental.pipelines.health;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A health check that answers within a bound: the check runs on a thread of its own, and a probe that gets no answer
 * in time says DOWN, "no answer within ...", instead of waiting for a connection pool or a socket to give up (10 s,
 * or far more for a service that accepts connections and answers nothing). A check still running when the next probe
 * comes is waited for again, not started twice, so a hung service holds one thread per check, not one per probe.
 */
public final class BoundedHealth implements HealthIndicator {

    private final HealthIndicator check;
    private final Duration bound;
    private final InstantSource clock;
    private final ExecutorService thread;
    private Future<Health> running;
    private Instant runningSince;

    public BoundedHealth(String name, HealthIndicator check, Duration bound) {
        this(name, check, bound, InstantSource.system());
    }

    BoundedHealth(String name, HealthIndicator check, Duration bound, InstantSource clock) {
        this.check = check;
        this.bound = bound;
        this.clock = clock;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "health-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Health health() {
        Future<Health> answer;
        Instant since;
        synchronized (this) {
            if (running == null || running.isDone()) {
                running = thread.submit(check::health);
                runningSince = clock.instant();
            }
            answer = running;
            since = runningSince;
        }
        try {
            return answer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Health.down().withDetail("reason", "no answer within " + bound.toMillis() + " ms (the check has run"
                    + " for " + Duration.between(since, clock.instant()).toMillis() + " ms)").build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause() instanceof Exception cause ? cause : e).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("reason", "interrupted").build();
        }
    }
}

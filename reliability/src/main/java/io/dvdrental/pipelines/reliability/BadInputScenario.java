package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.transforms.generate.Click;
import io.dvdrental.pipelines.producer.clicks.ClickPublisher;
import io.dvdrental.pipelines.producer.hostile.HostileCategory;
import io.dvdrental.pipelines.producer.hostile.HostileCorpus;
import io.dvdrental.pipelines.producer.hostile.HostileEvent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A hostile corpus (every category of {@link HostileCategory}) mixed into a stream of valid clicks: every hostile
 * event must reach the dead-letter topic with a reason and none the warehouse; every valid click must land once;
 * the valid throughput stays within 10% of a clean run of the same size.
 */
public final class BadInputScenario implements Scenario {

    public static final int HOSTILE = 10_000;

    @Override
    public String name() {
        return "bad-input";
    }

    @Override
    public ScenarioResult run(Target target, boolean quick) throws Exception {
        int valid = quick ? 10_000 : 200_000;
        long seed = System.nanoTime();
        String done = String.format(Locale.ROOT, "%s%d valid clicks mixed evenly with %d hostile events (%s; "
                + "seed %d)%s", quick ? "" : "untimed warm-up of " + valid / 4 + " valid clicks with " + HOSTILE / 4
                + " hostile events; " + valid + " valid clicks alone; then ", valid, HOSTILE,
                java.util.Arrays.toString(HostileCategory.values()), seed,
                quick ? "" : "; then " + valid + " valid clicks alone again");
        String expected = "every hostile event in " + target.stream().deadLetterTopic() + " with a non-empty "
                + target.stream().reasonHeader() + ", every category seen there, none in "
                + target.stream().clicks() + "; every valid click stored once; valid throughput within 10% of the "
                + "faster clean run" + (quick ? " (reported, not judged, in quick mode)" : "");
        Target.StreamNames stream = target.stream();
        if (!target.warehouse().tableExists(stream.database(), stream.clicksTable())) {
            return ScenarioResult.notRun(name(), done, expected, stream.clicks() + " does not exist: the streaming "
                    + "pipeline is not in this build");
        }
        StreamCheck check = new StreamCheck(target.warehouse(), stream.clicks());
        Duration stall = Duration.ofSeconds(quick ? 30 : 60);
        Duration timeout = Duration.ofSeconds(quick ? 120 : 900);

        // Whichever run came first paid for warming the server's JIT: mixed first, it looked faster than clean
        // (137-150 %); clean first, slower (35-71 %, the first clean run twice as slow as the one after). So an
        // untimed quarter-size mixed run warms both paths (valid clicks, and every kind of dead letter, S3 included)
        // before the clean runs, one before the mixed run and one after it, the faster counting. Quick mode (CI)
        // reports the mixed throughput only.
        Timed warmUp = quick ? null : mixed(target, check, valid / 4, HOSTILE / 4, seed + 3, "warm-up", stall,
                timeout);
        Timed before = quick ? null : clean(target, check, valid, seed, "clean", stall, timeout);
        List<HostileEvent> corpus = HostileCorpus.generate(seed, HOSTILE, Instant.now());
        TaggedClicks mixed = new TaggedClicks(seed + 1, ServiceOutageScenario.tag("mixed"));
        List<DeadLetters.DeadLetter> letters;
        Duration mixedTook;
        StreamCheck.Drain mixedDrain;
        try (DeadLetters dlq = new DeadLetters(target.kafkaBrokers(), stream.deadLetterTopic())) {
            long mixedStart = System.nanoTime();
            send(target, valid, mixed, corpus);
            mixedDrain = check.awaitDrained(mixed, valid, stall, timeout);
            mixedTook = Duration.ofNanos(System.nanoTime() - mixedStart);
            Matcher matcher = new Matcher(corpus);
            letters = dlq.readUntil(read -> matcher.matchedCount(read) >= corpus.size(), stall);
        }
        Matcher matcher = new Matcher(corpus);
        matcher.match(letters, stream.reasonHeader());
        long hostileStored = target.warehouse().number("SELECT count() FROM " + stream.clicks()
                + " WHERE startsWith(toString(event_id), '" + HostileCorpus.EVENT_ID_PREFIX + "')");
        StreamCheck.Landed mixedLanded = check.landed(mixed);
        Timed after = quick ? null : clean(target, check, valid, seed + 2, "clean-after", stall, timeout);
        Duration cleanTook = quick ? null : before.took().compareTo(after.took()) <= 0 ? before.took() : after.took();
        double mixedRate = valid / (mixedTook.toMillis() / 1000.0);
        double cleanRate = cleanTook == null ? Double.NaN : valid / (cleanTook.toMillis() / 1000.0);
        double ratio = mixedRate / cleanRate;
        List<String> wrong = new ArrayList<>();
        if (matcher.matched.size() < corpus.size()) {
            wrong.add((corpus.size() - matcher.matched.size()) + " hostile NOT in the DLQ (by category "
                    + matcher.missingByCategory() + "; e.g. " + matcher.missingExamples(5) + ")");
        }
        if (matcher.withoutReason > 0) {
            wrong.add(matcher.withoutReason + " dead letters without " + stream.reasonHeader());
        }
        // The dead-letter topic is at-least-once by design (docs/streaming.md): a redelivered batch sends its dead
        // letters again. Reported, not a verdict: no click is lost or doubled by it.
        String redelivered = matcher.duplicates == 0 ? ""
                : "; " + matcher.duplicates + " dead letters sent again by a redelivery (at-least-once DLQ)";
        if (hostileStored > 0) {
            wrong.add(hostileStored + " hostile events STORED in " + stream.clicks());
        }
        Map<String, Timed> runs = new java.util.LinkedHashMap<>();
        if (!quick) {
            runs.put("warm-up", warmUp);
            runs.put("clean", before);
            runs.put("clean-after", after);
        }
        runs.put("mixed", new Timed(mixedTook, mixedLanded, valid));
        for (var run : runs.entrySet()) {
            StreamCheck.Landed landed = run.getValue().landed();
            if (landed.lostOf(run.getValue().valid()) > 0) {
                wrong.add(run.getKey() + ": " + landed.lostOf(run.getValue().valid()) + " valid clicks LOST");
            }
            if (landed.duplicates() > 0) {
                wrong.add(run.getKey() + ": " + landed.duplicates() + " valid clicks DOUBLED");
            }
        }
        if (cleanTook != null && ratio < 0.9) {
            wrong.add(String.format(Locale.ROOT, "valid throughput fell to %.0f%% of the clean run", ratio * 100));
        }
        String throughput = cleanTook == null
                ? String.format(Locale.ROOT, "valid: %d/%d stored in %s (%.0f/s with the hostile mixed in)",
                mixedLanded.distinct(), valid, StreamCheck.seconds(mixedTook), mixedRate)
                : String.format(Locale.ROOT, "valid: clean %d/%d stored in %s before the mixed run and %d/%d in %s "
                        + "after it (%.0f/s, the faster), mixed %d/%d stored in %s (%.0f/s) = %.0f%% of clean",
                before.landed().distinct(), valid, StreamCheck.seconds(before.took()), after.landed().distinct(),
                valid, StreamCheck.seconds(after.took()), cleanRate, mixedLanded.distinct(), valid,
                StreamCheck.seconds(mixedTook), mixedRate, ratio * 100);
        String measured = String.format(Locale.ROOT, "hostile: %d sent, %d in the DLQ (%d with a reason; "
                        + "reasons seen: %s), %d stored; per category in the DLQ %s; %s%s%s",
                corpus.size(), matcher.matched.size(), matcher.matched.size() - matcher.withoutReason,
                matcher.reasonSample(), hostileStored, matcher.matchedByCategory(), throughput,
                (mixedDrain.complete() ? "" : " (drain INCOMPLETE)") + redelivered,
                wrong.isEmpty() ? "" : ". WRONG: " + String.join("; ", wrong));
        return new ScenarioResult(name(), done, expected, measured, wrong.isEmpty() ? Verdict.PASS : Verdict.FAIL);
    }

    private record Timed(Duration took, StreamCheck.Landed landed, int valid) {
    }

    /** {@code valid} clicks alone, sent and drained: how long it took, what landed. */
    private static Timed clean(Target target, StreamCheck check, int valid, long seed, String tag, Duration stall,
                               Duration timeout) throws Exception {
        return mixed(target, check, valid, 0, seed, tag, stall, timeout);
    }

    /** {@code valid} clicks with {@code hostile} events of a corpus of their own among them, sent and drained. */
    private static Timed mixed(Target target, StreamCheck check, int valid, int hostile, long seed, String tag,
                               Duration stall, Duration timeout) throws Exception {
        TaggedClicks clicks = new TaggedClicks(seed, ServiceOutageScenario.tag(tag));
        List<HostileEvent> corpus = HostileCorpus.generate(seed, hostile, Instant.now());
        long start = System.nanoTime();
        send(target, valid, clicks, corpus);
        check.awaitDrained(clicks, valid, stall, timeout);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Timed(took, check.landed(clicks), valid);
    }

    /** Sends {@code valid} clicks with the hostile events spread evenly among them, and waits for every ack. */
    private static void send(Target target, int valid, TaggedClicks clicks, List<HostileEvent> hostile) {
        try (ClickPublisher publisher = new ClickPublisher(target.kafkaBrokers(), target.stream().topic(),
                Map.of("max.request.size", 2 * 1024 * 1024))) {
            int total = valid + hostile.size();
            int h = 0;
            for (int i = 0; i < total; i++) {
                // Bresenham-style interleaving: hostile event number h goes at position h * total / hostile.size().
                if (h < hostile.size() && (long) h * total / hostile.size() <= i) {
                    HostileEvent e = hostile.get(h++);
                    publisher.send(new Click(e.key(), e.value(), null));
                } else {
                    publisher.send(clicks.next());
                }
            }
            publisher.flush();
        }
    }

    /** Recognises hostile events in the DLQ by key, else by exact value bytes. */
    static final class Matcher {
        private final Map<String, HostileEvent> byKey = new HashMap<>();
        private final Map<ByteBuffer, HostileEvent> byValue = new HashMap<>();
        private final List<HostileEvent> corpus;
        final Set<Integer> matched = new HashSet<>();
        final Map<String, Integer> reasons = new TreeMap<>();
        int withoutReason;
        int duplicates;

        Matcher(List<HostileEvent> corpus) {
            this.corpus = corpus;
            for (HostileEvent e : corpus) {
                byKey.put(e.key(), e);
                if (e.value() != null) {
                    byValue.putIfAbsent(ByteBuffer.wrap(e.value()), e);
                }
            }
        }

        private HostileEvent find(DeadLetters.DeadLetter letter) {
            HostileEvent e = letter.key() == null ? null : byKey.get(letter.key());
            if (e == null && letter.value() != null) {
                e = byValue.get(ByteBuffer.wrap(letter.value()));
            }
            return e;
        }

        int matchedCount(List<DeadLetters.DeadLetter> letters) {
            Set<Integer> seen = new HashSet<>();
            for (DeadLetters.DeadLetter l : letters) {
                HostileEvent e = find(l);
                if (e != null) {
                    seen.add(e.seq());
                }
            }
            return seen.size();
        }

        void match(List<DeadLetters.DeadLetter> letters, String reasonHeader) {
            for (DeadLetters.DeadLetter l : letters) {
                HostileEvent e = find(l);
                if (e == null) {
                    continue;
                }
                if (!matched.add(e.seq())) {
                    duplicates++;
                    continue;
                }
                String reason = l.headers().get(reasonHeader);
                if (reason == null || reason.isBlank()) {
                    withoutReason++;
                } else {
                    String shortReason = reason.length() > 40 ? reason.substring(0, 40) + "…" : reason;
                    reasons.merge(shortReason, 1, Integer::sum);
                }
            }
        }

        Map<HostileCategory, Integer> matchedByCategory() {
            Map<HostileCategory, Integer> counts = new EnumMap<>(HostileCategory.class);
            corpus.stream().filter(e -> matched.contains(e.seq())).forEach(e -> counts.merge(e.category(), 1,
                    Integer::sum));
            return counts;
        }

        Map<HostileCategory, Integer> missingByCategory() {
            Map<HostileCategory, Integer> counts = new EnumMap<>(HostileCategory.class);
            corpus.stream().filter(e -> !matched.contains(e.seq())).forEach(e -> counts.merge(e.category(), 1,
                    Integer::sum));
            return counts;
        }

        List<String> missingExamples(int n) {
            return corpus.stream().filter(e -> !matched.contains(e.seq())).limit(n)
                    .map(e -> e.category() + ": " + e.variant()).toList();
        }

        String reasonSample() {
            return reasons.size() <= 6 ? reasons.toString() : reasons.size() + " distinct, e.g. "
                    + reasons.entrySet().stream().limit(6).toList();
        }
    }
}

package io.dvdrental.pipelines.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Rentals the batch must not trust are written into the source (nulls in required fields, foreign keys to nothing,
 * impossible dates); an incremental run must stay green, put every one of them in silver.quarantine with a reason
 * and none in silver or gold. The source's NOT NULL on rental.customer_id and rental.rental_date is lifted and its
 * foreign-key triggers bypassed for the inserts (a source without them is what this guards against). The bad rows
 * stay in the source afterwards, as in a dirty source: deleting them would leave the batch's reconciliation
 * (source rows = bronze + quarantine) short forever. A next run of this scenario replaces them.
 */
public final class BadSourceRowsScenario implements Scenario {

    private static final int PER_KIND = 5;
    private static final long FIRST_ID = 2_000_000_000L;

    private record Kind(String name, String values) {
    }

    /**
     * VALUES of rental (rental_id, rental_date, inventory_id, customer_id, return_date, staff_id, last_update):
     * {@code %1$d} the id, {@code %2$s} a rental time unique per row (the source has a unique index on rental time,
     * inventory and customer), {@code %3$d} the row's number.
     */
    private static final List<Kind> KINDS = List.of(
            new Kind("customer_id null", "%1$d, %2$s, 1, NULL, NULL, 1, now()"),
            new Kind("rental_date null", "%1$d, NULL, 1, 1, NULL, 1, now()"),
            new Kind("inventory_id unknown", "%1$d, %2$s, 99999999, 1, NULL, 1, now()"),
            new Kind("customer_id unknown", "%1$d, %2$s, 1, 32000, NULL, 1, now()"),
            new Kind("returned before rented", "%1$d, %2$s, 1, 1, %2$s - interval '2 days', 1, now()"),
            new Kind("rented in 1900", "%1$d, timestamp '1900-01-01 10:00' + interval '%3$d seconds', 1, 1, NULL, 1, "
                    + "now()"));

    @Override
    public String name() {
        return "bad-source-rows";
    }

    @Override
    public ScenarioResult run(Target target, boolean quick) throws Exception {
        String done = PER_KIND * KINDS.size() + " bad rentals in the source (" + KINDS.stream().map(Kind::name)
                .collect(Collectors.joining(", ")) + "; " + PER_KIND + " each, ids from " + FIRST_ID
                + "), then an incremental batch run";
        String expected = "the run SUCCEEDED (green); every bad row in silver.quarantine with a reason; none in "
                + "silver.dvd_rental or gold.fact_rental";
        BatchApi batch = target.batch();
        if (!batch.present()) {
            return ScenarioResult.notRun(name(), done, expected, "no /api/batch/runs: the batch pipeline is not in "
                    + "this build");
        }
        SourceData source = target.source();
        String seeding = source.count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'rental'")
                > 0 && source.count("SELECT count(*) FROM public.rental") > 0
                ? "source as found" : source.ensureSeeded(quick ? 0.1 : 1);
        Map<Long, String> bad = new LinkedHashMap<>();
        long id = FIRST_ID;
        List<String> inserts = new ArrayList<>();
        for (Kind kind : KINDS) {
            for (int i = 0; i < PER_KIND; i++, id++) {
                bad.put(id, kind.name());
                inserts.add("INSERT INTO public.rental (rental_id, rental_date, inventory_id, customer_id, "
                        + "return_date, staff_id, last_update) VALUES (" + String.format(Locale.ROOT,
                        kind.values(), id, "now() - interval '1 day' - interval '" + (id - FIRST_ID)
                                + " seconds'", id - FIRST_ID) + ")");
            }
        }
        String ids = bad.keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
        List<String> setup = new ArrayList<>(List.of(
                "DELETE FROM public.rental WHERE rental_id IN (" + ids + ")",
                "ALTER TABLE public.rental ALTER COLUMN customer_id DROP NOT NULL",
                "ALTER TABLE public.rental ALTER COLUMN rental_date DROP NOT NULL",
                // Foreign keys are enforced by triggers, which the replica role does not fire.
                "SET session_replication_role = replica"));
        setup.addAll(inserts);
        setup.add("SET session_replication_role = DEFAULT");
        source.execute(setup.toArray(String[]::new));
        BatchApi.Start run = batch.start("incremental");
        if (!run.accepted()) {
            return new ScenarioResult(name(), done, expected, "the run was refused: HTTP " + run.status() + " "
                    + run.body(), Verdict.FAIL);
        }
        JsonNode end = batch.awaitFinished(run.runId(), Duration.ofMinutes(quick ? 5 : 30));
        Warehouse wh = target.warehouse();
        String idList = "(" + ids + ")";
        String quarantined = wh.query("SELECT toInt64OrZero(extract(row_key, '\\\\d+')) AS id, any(reason) FROM "
                + "silver.quarantine WHERE table_name = 'rental' AND id IN " + idList + " GROUP BY id ORDER BY id");
        Map<Long, String> reasons = new LinkedHashMap<>();
        for (String line : quarantined.split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.split("\t", 2);
                reasons.put(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : "");
            }
        }
        long inSilver = wh.number("SELECT count() FROM silver.dvd_rental WHERE rental_id IN " + idList);
        long inGold = wh.number("SELECT count() FROM gold.fact_rental WHERE rental_id IN " + idList);
        List<String> wrong = new ArrayList<>();
        String state = BatchApi.state(end);
        if (!"SUCCEEDED".equals(state)) {
            wrong.add("the run ended " + state + ": " + BatchApi.failedSteps(end));
        }
        Map<String, Integer> missingByKind = new LinkedHashMap<>();
        bad.forEach((rowId, kind) -> {
            String reason = reasons.get(rowId);
            if (reason == null || reason.isBlank()) {
                missingByKind.merge(kind, 1, Integer::sum);
            }
        });
        if (!missingByKind.isEmpty()) {
            wrong.add("not quarantined with a reason: " + missingByKind);
        }
        if (inSilver + inGold > 0) {
            wrong.add(inSilver + " in silver.dvd_rental, " + inGold + " in gold.fact_rental");
        }
        Map<String, String> reasonByKind = new LinkedHashMap<>();
        bad.forEach((rowId, kind) -> reasonByKind.putIfAbsent(kind, reasons.getOrDefault(rowId, "-")));
        String measured = String.format(Locale.ROOT, "%s; run %s; quarantined %d of %d (reason per kind: %s); in "
                        + "silver %d, in gold %d%s", seeding, state, reasons.size(), bad.size(), reasonByKind,
                inSilver, inGold, wrong.isEmpty() ? "" : ". WRONG: " + String.join("; ", wrong));
        return new ScenarioResult(name(), done, expected, measured, wrong.isEmpty() ? Verdict.PASS : Verdict.FAIL);
    }
}

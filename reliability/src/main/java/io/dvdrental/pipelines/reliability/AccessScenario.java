package io.dvdrental.pipelines.reliability;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Anonymous, wrong-password and wrong-role requests to what needs the operator are refused; health stays open;
 * the operator gets through (so a refusal is the security's doing, not a missing endpoint).
 */
public final class AccessScenario implements Scenario {

    private record Probe(String method, String path, String json) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final List<Probe> PROTECTED = List.of(
            new Probe("GET", "/actuator/hawtio/", null),
            new Probe("GET", "/actuator/jolokia", null),
            new Probe("POST", "/api/batch/runs", "{\"mode\":\"full\"}"),
            new Probe("GET", "/actuator/metrics", null),
            new Probe("GET", "/actuator/prometheus", null),
            new Probe("GET", "/actuator/camelroutes", null));
    private static final List<Probe> OPEN = List.of(
            new Probe("GET", "/actuator/health/readiness", null),
            new Probe("GET", "/actuator/health/liveness", null));
    private static final Probe OPERATOR_CONTROL = new Probe("GET", "/actuator/metrics", null);

    @Override
    public String name() {
        return "access";
    }

    @Override
    public ScenarioResult run(Target target, boolean quick) throws IOException {
        ServerApi api = target.server();
        List<String> wrong = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        Credentials badPassword = new Credentials(target.operator().user(), target.operator().password() + "x");
        for (Probe p : PROTECTED) {
            int anonymous = api.call(p.method(), p.path(), null, p.json()).status();
            int bad = api.call(p.method(), p.path(), badPassword, p.json()).status();
            seen.add(p + " anon " + anonymous + ", bad password " + bad);
            if (anonymous != 401) {
                wrong.add(p + " anonymous got " + anonymous);
            }
            if (bad != 401) {
                wrong.add(p + " with a wrong password got " + bad);
            }
        }
        for (Probe p : OPEN) {
            int status = api.call(p.method(), p.path(), null, null).status();
            seen.add(p + " anon " + status);
            if (status != 200 && status != 503) {
                wrong.add(p + " should be open, got " + status);
            }
        }
        int control = api.call(OPERATOR_CONTROL.method(), OPERATOR_CONTROL.path(), target.operator(), null).status();
        seen.add(OPERATOR_CONTROL + " operator " + control);
        if (control != 200) {
            wrong.add("the operator got " + control + " on " + OPERATOR_CONTROL);
        }
        String roleNote = wrongRole(target, wrong, seen);
        String done = "anonymous and wrong-password requests to " + PROTECTED + "; anonymous " + OPEN
                + "; operator " + OPERATOR_CONTROL + "; viewer (read-only role) on the protected list";
        String expected = "401 for anonymous/wrong password, 403 for the viewer, 200/503 for health, 200 for the operator";
        String measured = (wrong.isEmpty() ? "all as expected" : "WRONG: " + String.join("; ", wrong))
                + (roleNote == null ? "" : "; " + roleNote) + ". Seen: " + String.join("; ", seen);
        Verdict verdict = !wrong.isEmpty() ? Verdict.FAIL : roleNote != null ? Verdict.PARTIAL : Verdict.PASS;
        return new ScenarioResult(name(), done, expected, measured, verdict);
    }

    /** Null when the wrong-role part ran; else why it could not. */
    private String wrongRole(Target target, List<String> wrong, List<String> seen) throws IOException {
        if (target.viewer() == null) {
            return "wrong role not checked: no viewer account given";
        }
        // A viewer the server does not know is answered 401 everywhere: the account is missing, not refused by role.
        int probe = target.server().call("GET", "/actuator/metrics", target.viewer(), null).status();
        if (probe == 401) {
            return "wrong role not checked: the server has no viewer account (dvd.security.viewer-user, role VIEWER)";
        }
        for (Probe p : PROTECTED) {
            int status = target.server().call(p.method(), p.path(), target.viewer(), p.json()).status();
            seen.add(p + " viewer " + status);
            if (status != 403) {
                wrong.add(p + " as viewer got " + status);
            }
        }
        return null;
    }
}

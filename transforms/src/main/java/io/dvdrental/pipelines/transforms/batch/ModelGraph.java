package io.dvdrental.pipelines.transforms.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * The models and their declared upstreams: the run order is derived from the declarations (adding a model is adding
 * a file). Upstreams are other models or sources (the bronze tables the extract fills). Unknown upstreams and cycles
 * are refused when the graph is built.
 */
public final class ModelGraph {

    private static final List<String> LAYERS = List.of("bronze", "silver", "gold");

    private final Map<String, Model> models = new TreeMap<>();
    private final Set<String> sources;
    private final List<String> order;

    public ModelGraph(Collection<Model> models, Collection<String> sources) {
        for (Model model : models) {
            if (this.models.put(model.name(), model) != null) {
                throw new IllegalArgumentException("Two models are named " + model.name());
            }
        }
        this.sources = Set.copyOf(sources);
        for (Model model : models) {
            for (String upstream : model.dependsOn()) {
                if (!this.models.containsKey(upstream) && !this.sources.contains(upstream)) {
                    throw new IllegalArgumentException("Model " + model.name() + " depends on " + upstream
                            + ", which is neither a model nor a source");
                }
            }
        }
        this.order = topologicalOrder();
    }

    public Model model(String name) {
        Model model = models.get(name);
        if (model == null) {
            throw new IllegalArgumentException("No model " + name);
        }
        return model;
    }

    public boolean isSource(String name) {
        return sources.contains(name);
    }

    /** Every model, upstreams first; among independent models, lower layers first, then by name. */
    public List<String> order() {
        return order;
    }

    /** The models of one layer in run order. */
    public List<String> layer(String layer) {
        return order.stream().filter(m -> m.startsWith(layer + ".")).toList();
    }

    /** The given models and everything downstream of them, in run order. */
    public List<String> withDownstream(Collection<String> roots) {
        Set<String> selected = new LinkedHashSet<>(roots);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Model model : models.values()) {
                if (!selected.contains(model.name()) && model.dependsOn().stream().anyMatch(selected::contains)) {
                    grew = selected.add(model.name());
                }
            }
        }
        return order.stream().filter(selected::contains).toList();
    }

    private List<String> topologicalOrder() {
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> dependants = new HashMap<>();
        for (Model model : models.values()) {
            int modelUpstreams = 0;
            for (String upstream : model.dependsOn()) {
                if (models.containsKey(upstream)) {
                    modelUpstreams++;
                    dependants.computeIfAbsent(upstream, k -> new ArrayList<>()).add(model.name());
                }
            }
            waiting.put(model.name(), modelUpstreams);
        }
        PriorityQueue<String> ready = new PriorityQueue<>(Comparator
                .comparingInt((String m) -> LAYERS.indexOf(m.substring(0, m.indexOf('.'))))
                .thenComparing(Comparator.naturalOrder()));
        waiting.forEach((m, n) -> {
            if (n == 0) {
                ready.add(m);
            }
        });
        List<String> result = new ArrayList<>();
        while (!ready.isEmpty()) {
            String next = ready.poll();
            result.add(next);
            for (String dependant : dependants.getOrDefault(next, List.of())) {
                if (waiting.merge(dependant, -1, Integer::sum) == 0) {
                    ready.add(dependant);
                }
            }
        }
        if (result.size() < models.size()) {
            throw new IllegalArgumentException("The models have a dependency cycle: " + cycle());
        }
        return List.copyOf(result);
    }

    private String cycle() {
        for (String start : models.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            if (walk(start, start, path, new LinkedHashSet<>())) {
                return String.join(" -> ", path) + " -> " + start;
            }
        }
        return "?";
    }

    private boolean walk(String start, String at, Deque<String> path, Set<String> seen) {
        path.addLast(at);
        for (String upstream : models.get(at).dependsOn()) {
            if (upstream.equals(start)) {
                return true;
            }
            if (models.containsKey(upstream) && seen.add(upstream) && walk(start, upstream, path, seen)) {
                return true;
            }
        }
        path.removeLast();
        return false;
    }
}

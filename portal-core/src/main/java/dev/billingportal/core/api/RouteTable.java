package dev.billingportal.core.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The immutable table of every route, built once from the features' {@link RouteContributor}s. It matches a path to
 * its route, or tells which methods the path allows, so a wrong method is a {@code 405} whose {@code Allow} comes
 * from the table itself.
 */
public final class RouteTable {
    /** A matched route and its path parameters (the raw {@code {id}} segments, in order). */
    public record Match(Route route, List<String> parameters) {
    }

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /**
     * The table of these contributors' routes.
     *
     * @throws IllegalArgumentException when two routes have the same method and path
     */
    public static RouteTable of(List<RouteContributor> contributors) {
        List<Route> all = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (RouteContributor contributor : contributors) {
            for (Route route : contributor.routes()) {
                if (!seen.add(route.route())) {
                    throw new IllegalArgumentException("route declared twice: " + route.route());
                }
                all.add(route);
            }
        }
        return new RouteTable(all);
    }

    /** Every route, as {@code METHOD /path}. */
    public List<String> routes() {
        return routes.stream().map(Route::route).toList();
    }

    /** The routes themselves. */
    public List<Route> all() {
        return routes;
    }

    /** The route of this method and these path segments; HEAD matches GET. */
    public Optional<Match> match(String method, List<String> segments) {
        String wanted = "HEAD".equals(method) ? "GET" : method;
        for (Route route : routes) {
            if (route.method().equals(wanted)) {
                List<String> parameters = parameters(route, segments);
                if (parameters != null) {
                    return Optional.of(new Match(route, parameters));
                }
            }
        }
        return Optional.empty();
    }

    /** The methods some route serves at these segments (GET implies HEAD), in the table's order; empty: no such path. */
    public List<String> allowed(List<String> segments) {
        Set<String> methods = new LinkedHashSet<>();
        for (Route route : routes) {
            if (parameters(route, segments) != null) {
                methods.add(route.method());
                if (route.method().equals("GET")) {
                    methods.add("HEAD");
                }
            }
        }
        return List.copyOf(methods);
    }

    private static List<String> parameters(Route route, List<String> segments) {
        List<String> expected = route.segments();
        if (expected.size() != segments.size()) {
            return null;
        }
        List<String> parameters = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            String want = expected.get(i);
            String got = segments.get(i);
            if (want.equals("{id}")) {
                if (got.isEmpty()) {
                    return null;
                }
                parameters.add(got);
            } else if (!want.equals(got)) {
                return null;
            }
        }
        return parameters;
    }
}

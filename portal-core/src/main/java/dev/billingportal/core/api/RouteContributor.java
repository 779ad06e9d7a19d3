package dev.billingportal.core.api;

import java.util.List;

/** A feature's part of the route table: each feature package has one. */
@FunctionalInterface
public interface RouteContributor {

    /** The feature's routes. */
    List<Route> routes();
}

package dev.billingportal.core;

import dev.billingportal.core.internal.Checks;

import java.util.List;
import java.util.Optional;

/**
 * One page of results, in order, with the opaque cursor of the next page.
 *
 * @param items      the results on this page
 * @param nextCursor pass it as {@code after} to get the next page; null on the last page
 * @param <T>        the item type
 */
public record Page<T>(List<T> items, String nextCursor) {

    /** Copies the items. */
    public Page {
        items = List.copyOf(Checks.required(items, "items"));
    }

    /** Whether another page follows. */
    public boolean hasMore() {
        return nextCursor != null;
    }

    /** The next page's cursor, if any. */
    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }
}

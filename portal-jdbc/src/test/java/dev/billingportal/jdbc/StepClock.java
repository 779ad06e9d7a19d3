package dev.billingportal.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock moved by hand, one step at a time: tests read from an instant which operation did something. */
final class StepClock extends Clock {
    private final AtomicReference<Instant> now;

    StepClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Moves on by {@code step} and returns the new instant. */
    Instant advance(Duration step) {
        return now.updateAndGet(instant -> instant.plus(step));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}

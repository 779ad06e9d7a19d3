package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.time.Duration;

import static dev.billingportal.testkit.TestData.OTHER_TENANT;
import static dev.billingportal.testkit.TestData.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The customers and time to live the tests of {@link PortalSessionRepositoryContract} create their sessions for, and
 * its assertion that a call fails with {@code CONFLICT}; shared by the contract and the classes that hold some of its
 * tests ({@link SessionRepositoryRaces}, {@link SessionRepositoryLinks}, {@link SessionRepositoryRevocations}).
 */
final class SessionRepositoryFixtures {
    static final CustomerRef ALICE = CustomerRef.of(TENANT, "ext-alice");
    static final CustomerRef BOB = CustomerRef.of(TENANT, "ext-bob");
    /** Alice's external id in another tenant: a different customer. */
    static final CustomerRef ALICE_ELSEWHERE = CustomerRef.of(OTHER_TENANT, "ext-alice");
    static final Duration TTL = Duration.ofHours(12);

    private SessionRepositoryFixtures() {
    }

    static void assertConflict(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.code()).as("error code").isEqualTo(ErrorCode.CONFLICT));
    }
}

package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fuzz's write guard catches every kind of write once armed, and none before. */
class WriteGuardTest {

    @Test
    void everyWriteFailsWhileArmedAndPassesOtherwise() {
        PortalStorage real = new PortalStorage(new InMemoryCustomerRepository(), new InMemoryInvoiceRepository(),
                new InMemoryPortalSessionRepository());
        WriteGuard guard = new WriteGuard();
        PortalStorage guarded = guard.guard(real);
        PortalWorld world = new PortalWorld(guarded, guarded); // seeding writes while disarmed
        var login = world.login(PortalWorld.Who.A);
        String session = login.id();
        assertThat(guard.violations()).isEmpty();

        guard.arm();
        List<ThrowingCallable> writes = List.of(
                () -> guarded.customers().save(world.customer(PortalWorld.Who.B)),
                () -> guarded.invoices().save(world.invoices.get(PortalWorld.Who.B).get(0)),
                () -> world.login(PortalWorld.Who.B),
                () -> world.service.revokeSession(session),
                () -> world.service.revokeAllSessions(CustomerRef.of(PortalWorld.TENANT_T, "ext-bob")),
                () -> world.service.purgeExpiredSessions());
        for (ThrowingCallable write : writes) {
            assertThatThrownBy(write).isInstanceOf(AssertionError.class).hasMessageContaining("a write during requests");
        }
        assertThat(guard.violations()).hasSize(writes.size());
        long before = guard.reads();
        assertThat(world.service.authenticate(login.token()).customer()).isEqualTo(world.customer(PortalWorld.Who.A));
        assertThat(guard.reads()).as("reads are counted").isGreaterThan(before);
    }
}

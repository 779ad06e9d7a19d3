package dev.billingportal.testkit;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fuzz's write guard records every kind of write once armed, and none before; reads are counted. */
class WriteGuardTest {

    @Test
    void everyWriteIsRecordedWhileArmedAndNoneOtherwise() {
        PortalStorage real = new PortalStorage(new InMemoryCustomerRepository(), new InMemoryInvoiceRepository(),
                new InMemoryPortalSessionRepository());
        WriteGuard guard = new WriteGuard();
        PortalStorage guarded = guard.guard(real);
        PortalWorld world = new PortalWorld(guarded, guarded); // seeding writes while disarmed
        PortalSession reusable = world.login(PortalWorld.Who.A);
        PortalSession link = world.link(PortalWorld.Who.B, LinkMode.ONE_TIME);
        assertThat(guard.drain()).isEmpty();

        guard.arm();
        guarded.customers().save(world.customer(PortalWorld.Who.B));
        guarded.invoices().save(world.invoices.get(PortalWorld.Who.B).get(0));
        world.oneTime.exchange(link.token(), PortalWorld.CLIENT); // create, markExchanged, audit
        world.service.revokeSession(reusable.id()); // revoke, audit
        world.service.revokeAllSessions(CustomerRef.of(PortalWorld.TENANT_T, "ext-bob")); // revokeAll, audit
        world.service.purgeExpiredSessions();
        guarded.sessions().touch("ps_x", PortalWorld.NOW);
        assertThat(guard.drain()).extracting(WriteGuard.Write::operation).containsExactly(
                "CustomerRepository.save", "InvoiceRepository.save", "PortalSessionRepository.create",
                "PortalSessionRepository.markExchanged", "AuditTrail.record", "PortalSessionRepository.revoke",
                "AuditTrail.record", "PortalSessionRepository.revokeAll", "AuditTrail.record",
                "PortalSessionRepository.deleteExpired", "PortalSessionRepository.touch");
        assertThat(guard.drain()).as("drained").isEmpty();

        long before = guard.reads();
        assertThat(world.service.authenticate(world.login(PortalWorld.Who.A).token()).customer())
                .isEqualTo(world.customer(PortalWorld.Who.A));
        assertThat(guard.reads()).as("reads are counted").isGreaterThan(before);
    }
}

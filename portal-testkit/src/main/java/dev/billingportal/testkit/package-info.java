/**
 * Contract test suites for the storage SPIs of Billing Portal. Each suite is an abstract JUnit Jupiter class:
 * subclass it in your test sources, return your repository over empty storage from its factory method, and
 * run it like any other test class.
 *
 * <ul>
 *   <li>{@link dev.billingportal.testkit.CustomerRepositoryContract} for
 *       {@link dev.billingportal.core.profile.CustomerRepository}</li>
 *   <li>{@link dev.billingportal.testkit.InvoiceRepositoryContract} for
 *       {@link dev.billingportal.core.invoices.InvoiceRepository}</li>
 *   <li>{@link dev.billingportal.testkit.PortalSessionRepositoryContract} for
 *       {@link dev.billingportal.core.session.PortalSessionRepository}</li>
 *   <li>{@link dev.billingportal.testkit.SessionWithCustomerContract} for
 *       {@link dev.billingportal.core.session.PortalSessionRepository#findWithCustomer}, when a store overrides it</li>
 *   <li>{@link dev.billingportal.testkit.AuditTrailContract} for
 *       {@link dev.billingportal.core.audit.AuditTrail}</li>
 * </ul>
 *
 * <p>Suites for the host's billing providers (subclass them over your billing system's sandbox, with the seed each
 * describes): {@link dev.billingportal.testkit.SubscriptionProviderContract},
 * {@link dev.billingportal.testkit.UsageProviderContract} for {@link dev.billingportal.core.usage.UsageProvider} and
 * {@link dev.billingportal.testkit.WalletProviderContract} for
 * {@link dev.billingportal.core.wallets.WalletProvider} (scoping, exact figures, keyset pages, top-ups at most once
 * per request id, also racing).
 *
 * <p>Two more suites attack a whole portal over your storage, built from your three repositories
 * ({@link dev.billingportal.testkit.PortalStorage}): {@link dev.billingportal.testkit.PortalIsolationContract}, the
 * isolation matrix (every API route and service method, for three customers who must never see each other), and
 * {@link dev.billingportal.testkit.PortalApiFuzzContract}, thousands of generated malformed requests that must never
 * cause a 5xx, a wrong error shape or a write.
 *
 * <p><b>Run them with Maven Surefire 3</b> (or Gradle's {@code useJUnitPlatform()}): the suites are JUnit Jupiter
 * tests, and Surefire 2.12.4, the version Maven 3 binds when a pom names none, does not know the JUnit Platform: it
 * reports "Tests run: 0" and passes. Pin it in your pom:
 *
 * <pre>{@code
 * <plugin>
 *   <artifactId>maven-surefire-plugin</artifactId>
 *   <version>3.6.1</version>
 * </plugin>
 * }</pre>
 *
 * <p>The key assertions name the contract rule they check ({@code rule: ...}), and parameterised rows are named after
 * what they vary (page size, route, viewer, link mode), so a report says which rule broke for which case.
 *
 * <p>The suites use deterministic data and a fixed date ({@link dev.billingportal.testkit.TestData#TODAY}),
 * never the clock, and keep row counts small (at most 300 invoices in one test), so they run in seconds
 * against a real database too. Their concurrency tests use up to eight threads at once: give the repository a
 * connection pool of at least eight connections, or the races they stage become queues.
 */
package dev.billingportal.testkit;

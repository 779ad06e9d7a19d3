package dev.billingportal.core;

import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.SessionRequest;

import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.CurrencyOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.memory.InMemoryCustomerRepository;
import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.memory.InMemoryPortalSessionRepository;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.billingportal.core.invoices.InvoiceStatus.DRAFT;
import static dev.billingportal.core.invoices.InvoiceStatus.FAILED;
import static dev.billingportal.core.invoices.InvoiceStatus.FINALIZED;
import static dev.billingportal.core.invoices.InvoiceStatus.PENDING;
import static dev.billingportal.core.invoices.InvoiceStatus.VOIDED;
import static dev.billingportal.core.invoices.PaymentStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PortalServiceTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

    private final TestPortal t = new TestPortal();

    private static void assertPortalError(Throwable thrown, ErrorCode code, String reason) {
        assertThat(thrown).isInstanceOf(PortalException.class);
        PortalException e = (PortalException) thrown;
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.reason()).isEqualTo(reason);
    }

    @Nested
    class Builder {
        @Test
        void buildNamesEveryMissingSetting() {
            assertThatThrownBy(() -> PortalService.builder().build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("customers, invoices, sessions, tokenSigner, portalUrl");
        }

        @Test
        void buildNamesTheOneMissingSetting() {
            assertThatThrownBy(() -> t.service.toBuilder().tokenSigner(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("tokenSigner");
            PortalServiceBuilder builder = PortalService.builder().customers(new InMemoryCustomerRepository())
                    .invoices(new InMemoryInvoiceRepository()).sessions(new InMemoryPortalSessionRepository())
                    .portalUrl(URI.create("https://x.example/portal"));
            assertThatThrownBy(builder::build).hasMessageEndingWith("settings: tokenSigner");
        }

        @Test
        void sessionTtlMustBeBetweenOneMinuteAndSevenDays() {
            PortalServiceBuilder builder = PortalService.builder();
            assertThatThrownBy(() -> builder.sessionTtl(Duration.ofSeconds(59)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionTtl");
            assertThatThrownBy(() -> builder.sessionTtl(Duration.ofDays(7).plusSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionTtl");
            assertThat(t.service.toBuilder().sessionTtl(Duration.ofMinutes(1)).build().sessionTtl()).isEqualTo(Duration.ofMinutes(1));
            assertThat(t.service.toBuilder().sessionTtl(Duration.ofDays(7)).build().sessionTtl()).isEqualTo(Duration.ofDays(7));
        }

        @Test
        void defaultSessionTtlIsTwelveHours() {
            assertThat(t.service.sessionTtl()).isEqualTo(Duration.ofHours(12));
        }

        @Test
        void portalUrlMustBeAbsoluteHttp() {
            PortalServiceBuilder builder = PortalService.builder();
            assertThatThrownBy(() -> builder.portalUrl(URI.create("/portal"))).hasMessageContaining("portalUrl");
            assertThatThrownBy(() -> builder.portalUrl(URI.create("ftp://x.example/portal"))).hasMessageContaining("portalUrl");
            assertThatThrownBy(() -> builder.portalUrl(URI.create("https://x.example/portal?token=abc"))).hasMessageContaining("token");
        }

        @Test
        void clockSkewIsBounded() {
            assertThatThrownBy(() -> PortalService.builder().clockSkew(Duration.ofMinutes(6))).hasMessageContaining("clockSkew");
            assertThatThrownBy(() -> PortalService.builder().clockSkew(Duration.ofSeconds(-1))).hasMessageContaining("clockSkew");
        }
    }

    @Nested
    class Sessions {
        @Test
        void sessionLastsTwelveHoursAndItsUrlCarriesTheToken() {
            Customer c = t.customer("cus_1");
            PortalSession s = t.service.createSession(SessionRequest.forCustomer("cus_1"));
            assertThat(s.issuedAt()).isEqualTo(TestPortal.NOW);
            assertThat(s.expiresAt()).isEqualTo(TestPortal.NOW.plus(Duration.ofHours(12)));
            assertThat(s.url()).hasToString("https://billing.example.com/portal?token=" + s.token());
            assertThat(s.customer()).isEqualTo(c.ref());
        }

        @Test
        void urlKeepsTheQueryAndFragmentThePortalUrlAlreadyHad() {
            t.customer("cus_1");
            PortalService withQuery = t.service.toBuilder().portalUrl(URI.create("https://b.example/p?theme=dark#top")).build();
            PortalSession s = withQuery.createSession(SessionRequest.forCustomer("cus_1"));
            assertThat(s.url()).hasToString("https://b.example/p?theme=dark&token=" + s.token() + "#top");
            assertThat(s.url().getQuery()).isEqualTo("theme=dark&token=" + s.token());
        }

        @Test
        void sessionCarriesLocaleReturnUrlAndTenant() {
            t.customer("acme", "cus_1", "Europe/Paris");
            URI back = URI.create("https://app.example.com/settings");
            PortalSession s = t.service.createSession(SessionRequest.forCustomer("cus_1").tenant("acme")
                    .locale(Locale.FRENCH).returnUrl(back));
            PortalContext ctx = t.service.authenticate(s.token());
            assertThat(ctx.locale()).isEqualTo(Locale.FRENCH);
            assertThat(ctx.returnUrl()).isEqualTo(back);
            assertThat(ctx.flow()).isNull();
            assertThat(ctx.customer().tenantId()).isEqualTo("acme");
            assertThat(ctx.customerRef()).isEqualTo(CustomerRef.of("acme", "cus_1"));
            assertThat(ctx.sessionId()).isEqualTo(s.id());
            assertThat(ctx.expiresAt()).isEqualTo(s.expiresAt());
        }

        @Test
        void localeFallsBackToTheCustomersThenTheDefault() {
            Customer german = t.customer("de");
            t.customers.save(german.toBuilder().documentLocale(Locale.GERMAN).build());
            t.customer("none");
            assertThat(t.login(german).locale()).isEqualTo(Locale.GERMAN);
            assertThat(t.service.authenticate(t.service.createSession(SessionRequest.forCustomer("none")).token()).locale())
                    .isEqualTo(Locale.ENGLISH);
            PortalService italianDefault = t.service.toBuilder().defaultLocale(Locale.ITALIAN).build();
            assertThat(italianDefault.authenticate(italianDefault.createSession(SessionRequest.forCustomer("none")).token()).locale())
                    .isEqualTo(Locale.ITALIAN);
        }

        @Test
        void unknownCustomerOrOtherTenantIsNotFound() {
            t.customer("acme", "cus_1", "UTC");
            assertPortalError(catchThrowableOfType(PortalException.class,
                    () -> t.service.createSession(SessionRequest.forCustomer("nobody"))), ErrorCode.NOT_FOUND, "customer_not_found");
            assertPortalError(catchThrowableOfType(PortalException.class,
                    () -> t.service.createSession(SessionRequest.forCustomer("cus_1").tenant("other"))), ErrorCode.NOT_FOUND, "customer_not_found");
            assertThat(t.sessions.size()).isZero();
        }

        @Test
        void requestedTtlMayOnlyShortenTheSession() {
            t.customer("cus_1");
            PortalSession shortOne = t.service.createSession(SessionRequest.forCustomer("cus_1").ttl(Duration.ofMinutes(30)));
            assertThat(shortOne.expiresAt()).isEqualTo(TestPortal.NOW.plus(Duration.ofMinutes(30)));
            assertPortalError(catchThrowableOfType(PortalException.class,
                    () -> t.service.createSession(SessionRequest.forCustomer("cus_1").ttl(Duration.ofHours(13)))), ErrorCode.VALIDATION_ERROR, "validation_errors");
            assertPortalError(catchThrowableOfType(PortalException.class,
                    () -> t.service.createSession(SessionRequest.forCustomer("cus_1").ttl(Duration.ofSeconds(30)))), ErrorCode.VALIDATION_ERROR, "validation_errors");
        }

        @Test
        void configuredTtlBoundsTheToken() {
            t.customer("cus_1");
            PortalService hourly = t.service.toBuilder().sessionTtl(Duration.ofHours(1)).build();
            String token = hourly.createSession(SessionRequest.forCustomer("cus_1")).token();
            t.clock.advance(Duration.ofMinutes(59));
            assertThat(hourly.authenticate(token).customer().externalId()).isEqualTo("cus_1");
            t.clock.advance(Duration.ofMinutes(2)); // past expiry plus the 60 s skew
            assertPortalError(catchThrowableOfType(PortalException.class, () -> hourly.authenticate(token)),
                    ErrorCode.TOKEN_EXPIRED, "token_expired");
        }

        @Test
        void revokedSessionFailsOnTheVeryNextAuthenticate() {
            t.customer("cus_1");
            PortalSession s = t.service.createSession(SessionRequest.forCustomer("cus_1"));
            assertThat(t.service.authenticate(s.token()).sessionId()).isEqualTo(s.id());
            assertThat(t.service.revokeSession(s.id())).isTrue();
            assertPortalError(catchThrowableOfType(PortalException.class, () -> t.service.authenticate(s.token())),
                    ErrorCode.UNAUTHORIZED, "session_revoked");
            assertThat(t.service.revokeSession(s.id())).isFalse();
            assertThat(t.service.revokeSession("ps_unknown")).isFalse();
        }

        @Test
        void revokeAllEndsEveryLiveSessionOfOneCustomerOfOneTenantOnly() {
            t.customer("acme", "cus_1", "UTC");
            t.customer("acme", "cus_2", "UTC");
            t.customer("umbrella", "cus_1", "UTC");
            List<String> target = List.of(
                    t.service.createSession(SessionRequest.forCustomer("cus_1").tenant("acme")).token(),
                    t.service.createSession(SessionRequest.forCustomer("cus_1").tenant("acme")).token());
            String sameCustomerOtherTenant = t.service.createSession(SessionRequest.forCustomer("cus_1").tenant("umbrella")).token();
            String otherCustomerSameTenant = t.service.createSession(SessionRequest.forCustomer("cus_2").tenant("acme")).token();

            assertThat(t.service.revokeAllSessions(CustomerRef.of("acme", "cus_1"))).isEqualTo(2);

            for (String token : target) {
                assertPortalError(catchThrowableOfType(PortalException.class, () -> t.service.authenticate(token)),
                        ErrorCode.UNAUTHORIZED, "session_revoked");
            }
            assertThat(t.service.authenticate(sameCustomerOtherTenant).customer().tenantId()).isEqualTo("umbrella");
            assertThat(t.service.authenticate(otherCustomerSameTenant).customer().externalId()).isEqualTo("cus_2");
            assertThat(t.service.revokeAllSessions(CustomerRef.of("acme", "cus_1"))).isZero();
        }

        @Test
        void deletedCustomerCanNoLongerAuthenticate() {
            t.customer("cus_1");
            String token = t.service.createSession(SessionRequest.forCustomer("cus_1")).token();
            InMemoryCustomerRepository empty = new InMemoryCustomerRepository();
            PortalService withoutCustomer = t.service.toBuilder().customers(empty).build();
            assertPortalError(catchThrowableOfType(PortalException.class, () -> withoutCustomer.authenticate(token)),
                    ErrorCode.UNAUTHORIZED, "invalid_token");
        }

        @Test
        void tokenOfAnotherKeyRingIsRejected() {
            t.customer("cus_1");
            PortalService otherKeys = t.service.toBuilder()
                    .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("k1")))).build();
            String foreign = otherKeys.createSession(SessionRequest.forCustomer("cus_1")).token();
            assertPortalError(catchThrowableOfType(PortalException.class, () -> t.service.authenticate(foreign)),
                    ErrorCode.UNAUTHORIZED, "invalid_token");
        }

        @Test
        void sessionToStringHidesTokenAndUrl() {
            t.customer("cus_1");
            PortalSession s = t.service.createSession(SessionRequest.forCustomer("cus_1"));
            assertThat(s.toString()).doesNotContain(s.token()).doesNotContain(s.token().substring(s.token().lastIndexOf('.') + 1))
                    .contains("<redacted>").contains(s.id());
        }

        @Test
        void purgeDeletesOnlyExpiredSessions() {
            t.customer("cus_1");
            t.service.createSession(SessionRequest.forCustomer("cus_1").ttl(Duration.ofMinutes(5)));
            String live = t.service.createSession(SessionRequest.forCustomer("cus_1")).token();
            t.clock.advance(Duration.ofMinutes(10));
            assertThat(t.service.purgeExpiredSessions()).isEqualTo(1);
            assertThat(t.sessions.size()).isEqualTo(1);
            assertThat(t.service.authenticate(live).customer().externalId()).isEqualTo("cus_1");
        }
    }

    @Nested
    class Invoices {
        @Test
        void newestFirstWithTiesBrokenByIdDescending() {
            Customer c = t.customer("cus_1");
            t.invoice(c, "a", TODAY.minusDays(3), TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
            t.invoice(c, "b", TODAY.minusDays(1), TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
            t.invoice(c, "c", TODAY.minusDays(3), TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
            t.invoice(c, "d", TODAY.minusDays(2), TODAY, 100, "EUR", VOIDED, SUCCEEDED);
            assertThat(ids(t.service.invoices(t.login(c), InvoiceQuery.firstPage()))).containsExactly("b", "d", "c", "a");
        }

        @Test
        void draftsFailedAndPendingInvoicesNeverReachThePortal() {
            Customer c = t.customer("cus_1");
            t.invoice(c, "draft", TODAY, TODAY, 100, "EUR", DRAFT, dev.billingportal.core.invoices.PaymentStatus.PENDING);
            t.invoice(c, "failed", TODAY, TODAY, 100, "EUR", FAILED, dev.billingportal.core.invoices.PaymentStatus.PENDING);
            t.invoice(c, "pending", TODAY, TODAY, 100, "EUR", PENDING, dev.billingportal.core.invoices.PaymentStatus.PENDING);
            t.invoice(c, "final", TODAY, TODAY, 100, "EUR", FINALIZED, dev.billingportal.core.invoices.PaymentStatus.PENDING);
            PortalContext ctx = t.login(c);
            assertThat(ids(t.service.invoices(ctx, InvoiceQuery.firstPage()))).containsExactly("final");
            for (String hidden : List.of("draft", "failed", "pending")) {
                assertPortalError(catchThrowableOfType(PortalException.class, () -> t.service.invoice(ctx, hidden)),
                        ErrorCode.NOT_FOUND, "invoice_not_found");
            }
            assertPortalError(catchThrowableOfType(PortalException.class,
                    () -> InvoiceQuery.builder().statuses(DRAFT).build()), ErrorCode.VALIDATION_ERROR, "validation_errors");
        }

        @Test
        void foreignInvoiceLooksExactlyLikeAMissingOne() {
            Customer mine = t.customer("acme", "cus_1", "UTC");
            Customer other = t.customer("acme", "cus_2", "UTC");
            Customer sameIdOtherTenant = t.customer("umbrella", "cus_1", "UTC");
            t.invoice(other, "theirs", TODAY, TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
            t.invoice(sameIdOtherTenant, "tenant-u", TODAY, TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
            PortalContext ctx = t.login(mine);
            PortalException foreign = catchThrowableOfType(PortalException.class, () -> t.service.invoice(ctx, "theirs"));
            PortalException otherTenant = catchThrowableOfType(PortalException.class, () -> t.service.invoice(ctx, "tenant-u"));
            PortalException missing = catchThrowableOfType(PortalException.class, () -> t.service.invoice(ctx, "nope"));
            for (PortalException e : List.of(foreign, otherTenant)) {
                assertThat(e.code()).isEqualTo(missing.code());
                assertThat(e.reason()).isEqualTo(missing.reason()).isEqualTo("invoice_not_found");
                assertThat(e.getMessage()).isEqualTo(missing.getMessage());
            }
            assertThat(t.service.invoices(ctx, InvoiceQuery.firstPage()).items()).isEmpty();
        }

        @Test
        void implausibleInvoiceIdsAreNotFoundNotErrors() {
            Customer c = t.customer("cus_1");
            PortalContext ctx = t.login(c);
            for (String id : new String[] {null, "", "a b", "é", "x".repeat(300)}) {
                assertPortalError(catchThrowableOfType(PortalException.class, () -> t.service.invoice(ctx, id)),
                        ErrorCode.NOT_FOUND, "invoice_not_found");
            }
        }

        @Test
        void everyFilterAppliesAndTheyCombine() {
            Customer c = t.customer("cus_1");
            t.invoice(c, "paid-old", LocalDate.of(2026, 1, 10), LocalDate.of(2026, 2, 10), 100, "EUR", FINALIZED, SUCCEEDED);
            t.invoice(c, "late", LocalDate.of(2026, 9, 1), LocalDate.of(2026, 10, 1), 100, "EUR", FINALIZED, dev.billingportal.core.invoices.PaymentStatus.PENDING);
            t.invoice(c, "failed-late", LocalDate.of(2026, 8, 1), LocalDate.of(2026, 9, 1), 100, "EUR", FINALIZED, dev.billingportal.core.invoices.PaymentStatus.FAILED);
            t.invoice(c, "due-today", LocalDate.of(2026, 11, 1), TODAY, 100, "EUR", FINALIZED, dev.billingportal.core.invoices.PaymentStatus.PENDING);
            t.invoice(c, "voided", LocalDate.of(2026, 7, 1), LocalDate.of(2026, 7, 15), 100, "EUR", VOIDED, dev.billingportal.core.invoices.PaymentStatus.PENDING);
            PortalContext ctx = t.login(c);

            assertThat(ids(query(ctx, InvoiceQuery.builder().statuses(VOIDED)))).containsExactly("voided");
            assertThat(ids(query(ctx, InvoiceQuery.builder().paymentStatuses(SUCCEEDED)))).containsExactly("paid-old");
            assertThat(ids(query(ctx, InvoiceQuery.builder().overdueOnly(true)))).containsExactly("late", "failed-late");
            assertThat(ids(query(ctx, InvoiceQuery.builder().issuedFrom(LocalDate.of(2026, 8, 1)).issuedTo(LocalDate.of(2026, 9, 1)))))
                    .containsExactly("late", "failed-late");
            assertThat(ids(query(ctx, InvoiceQuery.builder().overdueOnly(true)
                    .paymentStatuses(dev.billingportal.core.invoices.PaymentStatus.FAILED)))).containsExactly("failed-late");
            assertThat(ids(query(ctx, InvoiceQuery.builder().search("inv-LATE")))).containsExactly("late");
            assertThat(ids(query(ctx, InvoiceQuery.builder().search("late")))).containsExactly("late", "failed-late");
            assertThat(ids(query(ctx, InvoiceQuery.builder().search("due-today")))).containsExactly("due-today");
            assertThat(ids(query(ctx, InvoiceQuery.builder().search("nothing-like-it")))).isEmpty();
        }

        @Test
        void searchMatchesTheExactIdAsWellAsPartsOfTheNumber() {
            Customer c = t.customer("cus_1");
            t.invoices.save(Invoice.builder().id("inv_7f3a").customer(c).number("ACME-2026-0042").issuingDate(TODAY)
                    .total(Money.of(100, "EUR")).build());
            PortalContext ctx = t.login(c);
            assertThat(ids(query(ctx, InvoiceQuery.builder().search("inv_7f3a")))).containsExactly("inv_7f3a");
            assertThat(ids(query(ctx, InvoiceQuery.builder().search("inv_7f")))).isEmpty(); // id: exact only
            assertThat(ids(query(ctx, InvoiceQuery.builder().search("acme-2026")))).containsExactly("inv_7f3a");
        }

        @Test
        void overdueIsDecidedInTheCustomersTimezone() {
            // 23:30 UTC on the 21st is already the 22nd in Auckland (UTC+13) and still the 21st in New York.
            t.clock.set(Instant.parse("2026-11-21T23:30:00Z"));
            Customer auckland = t.customer("acme", "akl", "Pacific/Auckland");
            Customer newYork = t.customer("acme", "nyc", "America/New_York");
            t.invoice(auckland, "akl-1", TODAY.minusDays(30), TODAY, 100, "EUR", FINALIZED, dev.billingportal.core.invoices.PaymentStatus.PENDING);
            t.invoice(newYork, "nyc-1", TODAY.minusDays(30), TODAY, 100, "EUR", FINALIZED, dev.billingportal.core.invoices.PaymentStatus.PENDING);
            assertThat(ids(query(t.login(auckland), InvoiceQuery.builder().overdueOnly(true)))).containsExactly("akl-1");
            assertThat(ids(query(t.login(newYork), InvoiceQuery.builder().overdueOnly(true)))).isEmpty();
            assertThat(t.service.overview(t.login(auckland)).asOf()).isEqualTo(TODAY.plusDays(1));
            assertThat(t.service.overview(t.login(newYork)).currencies().get(0).overdueCount()).isZero();
        }

        @Test
        void keysetPagesWalkEveryInvoiceOnceWithTheDefaultLimitOfTwenty() {
            Customer c = t.customer("cus_1");
            for (int i = 0; i < 45; i++) {
                t.invoice(c, String.format("inv-%03d", i), TODAY.minusDays(i / 3), TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
            }
            PortalContext ctx = t.login(c);
            List<Integer> sizes = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                Page<Invoice> page = t.service.invoices(ctx, InvoiceQuery.builder().after(cursor).build());
                sizes.add(page.items().size());
                seen.addAll(ids(page));
                cursor = page.nextCursor();
            } while (cursor != null);
            assertThat(sizes).containsExactly(20, 20, 5);
            assertThat(seen).hasSize(45).doesNotHaveDuplicates();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 45; i++) {
                expected.add(String.format("inv-%03d", i));
            }
            expected.sort((a, b) -> {
                int da = Integer.parseInt(a.substring(4)) / 3;
                int db = Integer.parseInt(b.substring(4)) / 3;
                return da != db ? Integer.compare(da, db) : b.compareTo(a);
            });
            assertThat(seen).isEqualTo(expected);
        }

        @Test
        void exactlyFullLastPageHasNoNextCursor() {
            Customer c = t.customer("cus_1");
            for (int i = 0; i < 4; i++) {
                t.invoice(c, "i" + i, TODAY.minusDays(i), TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
            }
            PortalContext ctx = t.login(c);
            Page<Invoice> first = t.service.invoices(ctx, InvoiceQuery.builder().limit(2).build());
            Page<Invoice> second = t.service.invoices(ctx, InvoiceQuery.builder().limit(2).after(first.nextCursor()).build());
            assertThat(ids(second)).containsExactly("i2", "i3");
            assertThat(second.hasMore()).isFalse();
        }

        @Test
        void limitMustBeOneToOneHundred() {
            for (int bad : new int[] {0, -1, 101}) {
                assertPortalError(catchThrowableOfType(PortalException.class,
                        () -> InvoiceQuery.builder().limit(bad).build()), ErrorCode.VALIDATION_ERROR, "validation_errors");
            }
            assertThat(InvoiceQuery.builder().limit(1).build().limit()).isEqualTo(1);
            assertThat(InvoiceQuery.builder().limit(100).build().limit()).isEqualTo(100);
            assertThat(InvoiceQuery.firstPage().limit()).isEqualTo(20);
        }

        @Test
        void tamperedForeignAndMalformedCursorsAreBadRequests() {
            Customer a = t.customer("acme", "cus_a", "UTC");
            Customer b = t.customer("acme", "cus_b", "UTC");
            for (Customer c : List.of(a, b)) {
                for (int i = 0; i < 3; i++) {
                    t.invoice(c, c.externalId() + "-" + i, TODAY.minusDays(i), TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
                }
            }
            PortalContext ctxA = t.login(a);
            PortalContext ctxB = t.login(b);
            String cursorA = t.service.invoices(ctxA, InvoiceQuery.builder().limit(1).build()).nextCursor();
            String cursorB = t.service.invoices(ctxB, InvoiceQuery.builder().limit(1).build()).nextCursor();
            assertThat(ids(t.service.invoices(ctxA, InvoiceQuery.builder().limit(1).after(cursorA).build()))).containsExactly("cus_a-1");

            List<String> bad = new ArrayList<>(List.of(cursorB, "!!!", "AAAA", "x".repeat(600), cursorA + "A"));
            for (int i = 0; i < cursorA.length(); i++) {
                char[] chars = cursorA.toCharArray();
                chars[i] = chars[i] == 'A' ? 'B' : 'A';
                bad.add(new String(chars));
            }
            for (String cursor : bad) {
                assertPortalError(catchThrowableOfType(PortalException.class,
                        () -> t.service.invoices(ctxA, InvoiceQuery.builder().after(cursor).build())),
                        ErrorCode.INVALID_REQUEST, "invalid_cursor");
            }
            assertThat(ErrorCode.INVALID_REQUEST.httpStatus()).isEqualTo(400);
        }

        @Test
        void cursorOfAnotherSessionOfTheSameCustomerIsRefused() {
            Customer a = t.customer("cus_a");
            for (int i = 0; i < 3; i++) {
                t.invoice(a, "i" + i, TODAY.minusDays(i), TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
            }
            String cursor = t.service.invoices(t.login(a), InvoiceQuery.builder().limit(1).build()).nextCursor();
            PortalContext otherSession = t.login(a);
            assertPortalError(catchThrowableOfType(PortalException.class,
                    () -> t.service.invoices(otherSession, InvoiceQuery.builder().after(cursor).build())),
                    ErrorCode.INVALID_REQUEST, "invalid_cursor");
        }

        private Page<Invoice> query(PortalContext ctx, InvoiceQuery.Builder query) {
            return t.service.invoices(ctx, query.build());
        }
    }

    @Nested
    class Overview {
        @Test
        void oneRowPerCurrencyNeverSummedAcross() {
            Customer c = t.customer("cus_1");
            t.invoice(c, "eur-paid", TODAY.minusDays(40), TODAY.minusDays(10), 10_000, "EUR", FINALIZED, SUCCEEDED);
            t.invoice(c, "eur-late", TODAY.minusDays(40), TODAY.minusDays(1), 2_500, "EUR", FINALIZED, dev.billingportal.core.invoices.PaymentStatus.FAILED);
            t.invoice(c, "eur-due-today", TODAY.minusDays(5), TODAY, 1_000, "EUR", FINALIZED, dev.billingportal.core.invoices.PaymentStatus.PENDING);
            t.invoice(c, "eur-voided", TODAY.minusDays(5), TODAY.minusDays(1), 99_999, "EUR", VOIDED, dev.billingportal.core.invoices.PaymentStatus.PENDING);
            t.invoice(c, "eur-draft", TODAY.minusDays(5), TODAY.minusDays(1), 88_888, "EUR", DRAFT, dev.billingportal.core.invoices.PaymentStatus.PENDING);
            t.invoice(c, "jpy-late", TODAY.minusDays(40), TODAY.minusDays(3), 1_235, "JPY", FINALIZED, dev.billingportal.core.invoices.PaymentStatus.PENDING);

            BillingOverview overview = t.service.overview(t.login(c));

            assertThat(overview.asOf()).isEqualTo(TODAY);
            assertThat(overview.currencies()).extracting(row -> row.currency().getCurrencyCode()).containsExactly("EUR", "JPY");
            CurrencyOverview eur = overview.currency(Currency.getInstance("EUR")).orElseThrow();
            assertThat(eur.totalInvoiced()).isEqualTo(Money.of(13_500, "EUR"));
            assertThat(eur.overdue()).isEqualTo(Money.of(2_500, "EUR"));
            assertThat(eur.overdueCount()).isEqualTo(1);
            assertThat(eur.outstanding()).isEqualTo(Money.of(1_000, "EUR"));
            assertThat(eur.outstandingCount()).isEqualTo(1);
            CurrencyOverview jpy = overview.currency(Currency.getInstance("JPY")).orElseThrow();
            assertThat(jpy.totalInvoiced()).isEqualTo(Money.of(1_235, "JPY"));
            assertThat(jpy.overdue()).isEqualTo(Money.of(1_235, "JPY"));
            assertThat(jpy.outstanding().isZero()).isTrue();
        }

        @Test
        void customerWithoutInvoicesHasNoRows() {
            assertThat(t.service.overview(t.login(t.customer("cus_1"))).currencies()).isEmpty();
        }
    }

    @Nested
    class Downloads {
        @Test
        void streamsTheStoredDocument() throws Exception {
            Customer c = t.customer("cus_1");
            Invoice invoice = t.invoice(c, "inv-1", TODAY, TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
            t.documents.put(invoice, InvoiceDocument.bytes("INV-1.pdf", "application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)));
            InvoiceDocument document = t.service.downloadInvoice(t.login(c), "inv-1");
            assertThat(document).isInstanceOf(InvoiceDocument.Stream.class);
            InvoiceDocument.Stream stream = (InvoiceDocument.Stream) document;
            assertThat(stream.fileName()).isEqualTo("INV-1.pdf");
            try (InputStream in = stream.content().open()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.7");
            }
        }

        @Test
        void redirectsWhenTheStoreGivesAUrl() {
            Customer c = t.customer("cus_1");
            Invoice invoice = t.invoice(c, "inv-1", TODAY, TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
            t.documents.put(invoice, InvoiceDocument.redirect(URI.create("https://files.example.com/inv-1.pdf?sig=abc")));
            assertThat(t.service.downloadInvoice(t.login(c), "inv-1"))
                    .isEqualTo(new InvoiceDocument.Redirect(URI.create("https://files.example.com/inv-1.pdf?sig=abc")));
        }

        @Test
        void missingDocumentOrStoreIsNotFound() {
            Customer c = t.customer("cus_1");
            t.invoice(c, "inv-1", TODAY, TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
            PortalContext ctx = t.login(c);
            assertPortalError(catchThrowableOfType(PortalException.class, () -> t.service.downloadInvoice(ctx, "inv-1")),
                    ErrorCode.NOT_FOUND, "document_not_found");
            PortalService noStore = t.service.toBuilder().documents(null).build();
            assertThat(noStore.documentsEnabled()).isFalse();
            assertPortalError(catchThrowableOfType(PortalException.class, () -> noStore.downloadInvoice(ctx, "inv-1")),
                    ErrorCode.NOT_FOUND, "document_not_found");
        }

        @Test
        void foreignInvoiceDocumentIsNeverOpened() {
            Customer mine = t.customer("cus_1");
            Customer other = t.customer("cus_2");
            Invoice theirs = t.invoice(other, "theirs", TODAY, TODAY, 100, "EUR", FINALIZED, SUCCEEDED);
            Set<String> opened = new HashSet<>();
            t.documents.put(theirs, InvoiceDocument.stream("x.pdf", "application/pdf", -1, () -> {
                opened.add("theirs");
                return InputStream.nullInputStream();
            }));
            assertPortalError(catchThrowableOfType(PortalException.class, () -> t.service.downloadInvoice(t.login(mine), "theirs")),
                    ErrorCode.NOT_FOUND, "invoice_not_found");
            assertThat(opened).isEmpty();
        }
    }

    private static List<String> ids(Page<Invoice> page) {
        return page.items().stream().map(Invoice::id).toList();
    }
}

package dev.billingportal.testkit;

import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.testkit.PortalWorld.Who;

import java.util.List;

import static dev.billingportal.testkit.IsolationRun.assertSameResponse;
import static dev.billingportal.testkit.IsolationRun.tamper;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page routes of {@link PortalIsolationContract}, part of that contract: the page and its assets are the same
 * bytes for everyone, with or without a token; only the page's frame-ancestors follow the tenant the token was
 * signed for.
 */
final class PageIsolationChecks {

    private final PortalWorld world;
    private final IsolationRun run;

    PageIsolationChecks(PortalWorld world, IsolationRun run) {
        this.world = world;
        this.run = run;
    }

    /** {@code GET}: the link is sent on to the page. */
    void redirectRoute(Who viewer) {
        String token = world.link(viewer, run.mode()).token();
        PortalResponse redirect = run.page("", "token=" + token, null);
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).hasValueSatisfying(location -> {
            assertThat(location).endsWith("/?token=" + token);
        });
        run.assertNoForeignData(viewer, redirect);
    }

    /** {@code GET /assets/...}: the same bytes with or without a token. */
    void assetRoute(Who viewer, String route) {
        String path = route.substring("GET ".length());
        String link = world.link(viewer, run.mode()).token();
        PortalResponse withToken = run.page(path, "token=" + link, link);
        PortalResponse anonymous = run.page(path, null, null);
        assertThat(withToken.status()).isEqualTo(200);
        assertSameResponse(withToken, anonymous, "asset " + path + " with and without a token");
        assertThat(withToken.bodyAsString()).doesNotContain(world.allMarkers());
    }

    /** The page is the same for everyone; only its frame-ancestors follow the tenant the token was signed for. */
    void pageOfToken(Who viewer, String path) {
        String token = world.link(viewer, run.mode()).token();
        PortalResponse page = run.page(path, "token=" + token, null);
        PortalResponse anonymous = run.page(path, null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().toByteArray()).as("the page's bytes").isEqualTo(anonymous.body().toByteArray());
        run.assertNoForeignData(viewer, page);
        List<String> own = viewer.tenant.equals(PortalWorld.TENANT_T) ? PortalWorld.FRAME_ANCESTORS_T : PortalWorld.FRAME_ANCESTORS_U;
        List<String> foreign = viewer.tenant.equals(PortalWorld.TENANT_T) ? PortalWorld.FRAME_ANCESTORS_U : PortalWorld.FRAME_ANCESTORS_T;
        assertThat(page.header("Content-Security-Policy")).hasValueSatisfying(csp -> {
            assertThat(csp).contains("frame-ancestors " + String.join(" ", own));
            assertThat(csp).doesNotContain(foreign);
        });
        PortalResponse tampered = run.page(path, "token=" + tamper(token), null);
        assertThat(tampered.header("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("frame-ancestors 'none'"));
    }
}

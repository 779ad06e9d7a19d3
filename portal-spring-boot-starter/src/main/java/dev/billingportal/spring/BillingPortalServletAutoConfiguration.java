package dev.billingportal.spring;

import dev.billingportal.core.api.LagoCompatibleApi;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.servlet.PortalServlet;
import dev.billingportal.servlet.TrustedProxies;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

import java.util.function.Function;

/**
 * Mounts the portal in a servlet web application: {@link PortalServlet} over the {@link PortalApi} at its UI path
 * ({@code billing-portal.path}, default {@code /portal}) and, when there is a {@link LagoCompatibleApi} (the
 * starter's, from {@code billing-portal.lago.api-key}, or the application's own, say with one key per tenant),
 * another at its base path (default {@code /api/v1}). Runs after {@link BillingPortalAutoConfiguration}, so it
 * mounts the application's own {@code PortalApi} or {@code LagoCompatibleApi} as readily as the starter's. A
 * registration bean of the same name ({@code billingPortalServlet}, {@code billingPortalLagoServlet}) replaces
 * the starter's.
 */
@AutoConfiguration(after = BillingPortalAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "jakarta.servlet.http.HttpServlet")
public class BillingPortalServletAutoConfiguration {

    /** Created by Spring Boot. */
    public BillingPortalServletAutoConfiguration() {
    }

    /**
     * {@link PortalServlet} over the page and its API, at the API's UI path plus {@code /*}.
     *
     * @param api        the API
     * @param properties the settings (trusted proxies)
     * @return the registration, named {@code billingPortal}
     */
    @Bean
    @ConditionalOnBean(PortalApi.class)
    @ConditionalOnMissingBean(name = "billingPortalServlet")
    public ServletRegistrationBean<PortalServlet> billingPortalServlet(PortalApi api, PortalProperties properties) {
        ServletRegistrationBean<PortalServlet> registration =
                new ServletRegistrationBean<>(servlet(api::handle, properties), api.uiPath() + "/*");
        registration.setName("billingPortal");
        return registration;
    }

    /**
     * {@link PortalServlet} over Lago's endpoint, at its base path plus {@code /*}.
     *
     * @param lago       the endpoint
     * @param properties the settings (trusted proxies)
     * @return the registration, named {@code billingPortalLago}
     */
    @Bean
    @ConditionalOnBean(LagoCompatibleApi.class)
    @ConditionalOnMissingBean(name = "billingPortalLagoServlet")
    public ServletRegistrationBean<PortalServlet> billingPortalLagoServlet(LagoCompatibleApi lago,
                                                                           PortalProperties properties) {
        ServletRegistrationBean<PortalServlet> registration =
                new ServletRegistrationBean<>(servlet(lago::handle, properties), lago.basePath() + "/*");
        registration.setName("billingPortalLago");
        return registration;
    }

    private static PortalServlet servlet(Function<PortalRequest, PortalResponse> handler, PortalProperties properties) {
        TrustedProxies proxies = BillingPortalAutoConfiguration.setting("billing-portal.trusted-proxies",
                "list IP addresses or CIDR ranges, e.g. 10.0.0.0/8", () -> TrustedProxies.of(properties.trustedProxies()));
        return PortalServlet.builder(handler).trustedProxies(proxies).build();
    }
}

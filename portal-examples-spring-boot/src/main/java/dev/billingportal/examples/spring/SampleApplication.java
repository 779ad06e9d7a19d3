package dev.billingportal.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with the billing portal: nothing portal-specific in the code but the sample data
 * ({@link SampleData}). The starter finds the {@code DataSource} and the {@code billing-portal.*} settings in
 * {@code application.properties} and serves the page at {@code /portal/}, its API at {@code /portal/api/} and
 * Lago's link endpoint at {@code /api/v1/}.
 */
@SpringBootApplication
public class SampleApplication {

    /** Created by Spring. */
    public SampleApplication() {
    }

    /**
     * Starts the application on port 8080 (or {@code --server.port=...}).
     *
     * @param args Spring Boot's command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}

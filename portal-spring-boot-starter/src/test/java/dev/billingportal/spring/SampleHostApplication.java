package dev.billingportal.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A host application as a user writes it: the starter, a DataSource from properties, and its own controller. */
@SpringBootApplication
class SampleHostApplication {

    /** The host's own endpoint, served by Spring MVC next to the portal's servlet. */
    @RestController
    static class HostController {
        @GetMapping("/hello")
        String hello() {
            return "hello from the host";
        }
    }
}

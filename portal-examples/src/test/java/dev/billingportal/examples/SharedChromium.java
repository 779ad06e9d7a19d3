package dev.billingportal.examples;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One headless Chromium (Debian's, driven by Playwright) for every browser test class of the run: starting a
 * browser costs about a second and a few hundred megabytes, so classes share it and open a fresh
 * {@link com.microsoft.playwright.BrowserContext} per test instead (contexts share nothing: no cookies, no storage).
 * Test classes run one after another in one JVM (no parallel execution is configured), which Playwright's
 * single-threaded objects need. Closed when the JVM ends.
 */
final class SharedChromium {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private static Playwright playwright;
    private static Browser browser;

    private SharedChromium() {
    }

    /** The run's browser, started on first use; fails the test clearly when Chromium is not installed. */
    static synchronized Browser browser() {
        if (browser == null || !browser.isConnected()) {
            if (!Files.isExecutable(CHROMIUM)) {
                fail("Chromium is missing at " + CHROMIUM + ": install Debian's package with"
                        + " `apt-get update && apt-get install -y chromium` (.ci/run does this when it is missing)");
            }
            if (playwright == null) {
                // Playwright's own browser download stays off (surefire sets it too): Debian's Chromium is used.
                playwright = Playwright.create(new Playwright.CreateOptions()
                        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Runtime.getRuntime().addShutdownHook(new Thread(SharedChromium::close, "shared-chromium-close"));
            }
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(ARGS));
        }
        return browser;
    }

    private static synchronized void close() {
        try {
            if (browser != null) {
                browser.close();
            }
            if (playwright != null) {
                playwright.close();
            }
        } catch (RuntimeException e) {
            // the JVM is ending: the driver process goes with it
        }
    }
}

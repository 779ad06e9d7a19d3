package dev.billingportal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Where a request's CPU goes, beside {@link JettyThroughputBenchmark} (a diagnosis, not a figure of the target): on
 * {@link JettyBenchServer}'s set-up, 16 keep-alive connections drive each case in turn for 4 s, and the CPU time this
 * JVM (client, Jetty and the portal) and every {@code postgres} process of the machine used meanwhile is read from
 * {@code /proc} and divided by the requests answered. Linux only (it needs {@code /proc/<pid>/stat}).
 *
 * <p>{@code java -cp portal-bench/target/benchmarks.jar dev.billingportal.bench.CpuPerRequest POSTGRES
 * hello,roundTrip,config,invoices} (storage H2 or POSTGRES; three warm-up rounds of every case, then three measured).
 */
public final class CpuPerRequest {
    private static final int CONNECTIONS = JettyThroughputBenchmark.CONNECTIONS;
    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux for every architecture in use). */
    private static final double TICKS_PER_SECOND = 100;

    private CpuPerRequest() {
    }

    /**
     * Runs it.
     *
     * @param args storage ({@code H2} or {@code POSTGRES}), then the cases, comma-separated: {@code hello},
     *             {@code roundTrip}, {@code cachedConfig}, {@code config}, {@code invoices}
     * @throws Exception when the server cannot start or a request fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CpuPerRequest H2|POSTGRES hello,roundTrip,cachedConfig,config,invoices");
        }
        if (!Files.isReadable(Path.of("/proc/self/stat"))) {
            throw new IllegalStateException("CpuPerRequest reads /proc: it runs on Linux only");
        }
        String[] cases = args[1].split(",");
        try (JettyBenchServer server = JettyBenchServer.start(JettyBenchServer.Storage.valueOf(args[0]))) {
            for (String name : cases) {
                request(server, name, 0); // fails early on an unknown case
            }
            for (int round = 0; round < 3; round++) {
                for (String name : cases) {
                    drive(server, name);
                }
            }
            for (int round = 0; round < 3; round++) {
                for (String name : cases) {
                    long[] before = cpuTicks();
                    long started = System.nanoTime();
                    long requests = drive(server, name);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    long[] after = cpuTicks();
                    double jvm = (after[0] - before[0]) / TICKS_PER_SECOND * 1e6 / requests;
                    double postgres = (after[1] - before[1]) / TICKS_PER_SECOND * 1e6 / requests;
                    System.out.printf(Locale.ROOT, "%s %-12s %8.0f req/s  JVM %6.1f µs/req  postgres %6.1f µs/req%n",
                            args[0], name, requests / seconds, jvm, postgres);
                }
            }
        }
    }

    /** Drives one case for 4 s over 16 connections; the requests answered. */
    private static long drive(JettyBenchServer server, String name) throws InterruptedException {
        AtomicLong answered = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long end = System.nanoTime() + 4_000_000_000L;
        for (int t = 0; t < CONNECTIONS; t++) {
            byte[] request = request(server, name, t);
            Thread thread = new Thread(() -> {
                try (KeepAliveClient client = new KeepAliveClient(server.port())) {
                    long n = 0;
                    while (System.nanoTime() < end) {
                        int status = client.exchange(request);
                        if (status != 200) {
                            throw new IllegalStateException(name + " answered " + status);
                        }
                        n++;
                    }
                    answered.addAndGet(n);
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(name + " failed", failures.get(0));
        }
        return answered.get();
    }

    private static byte[] request(JettyBenchServer server, String name, int thread) {
        return switch (name) {
            case "hello" -> JettyThroughputBenchmark.HELLO;
            case "roundTrip" -> JettyThroughputBenchmark.ROUND_TRIP;
            case "cachedConfig" -> JettyThroughputBenchmark.CACHED_CONFIG;
            case "config" -> JettyThroughputBenchmark.config(server.token(thread));
            case "invoices" -> JettyThroughputBenchmark.invoices(server.token(thread));
            default -> throw new IllegalArgumentException("unknown case " + name
                    + "; cases: hello, roundTrip, cachedConfig, config, invoices");
        };
    }

    /** CPU ticks (user + system) of this JVM and of all {@code postgres} processes together. */
    private static long[] cpuTicks() {
        long postgres = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String pid = process.getFileName().toString();
                if (pid.chars().allMatch(Character::isDigit) && isPostgres(process)) {
                    postgres += ticks(process);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new long[] {ticks(Path.of("/proc/self")), postgres};
    }

    private static boolean isPostgres(Path process) {
        try {
            return Files.readString(process.resolve("comm")).startsWith("postgres");
        } catch (IOException e) {
            return false; // the process ended meanwhile
        }
    }

    /** utime + stime of {@code /proc/<pid>/stat}; 0 for a process that ended meanwhile. */
    private static long ticks(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            // the command name may hold spaces: fields are counted from its closing parenthesis (state is field 3)
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15
        } catch (IOException e) {
            return 0;
        }
    }
}

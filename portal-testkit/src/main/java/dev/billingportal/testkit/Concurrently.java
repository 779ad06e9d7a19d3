package dev.billingportal.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one task on several threads released at the same instant, and fails with the first error any of
 * them threw (the others attached as suppressed). Threads never outlive a call: a task still running after
 * the timeout is interrupted and reported.
 */
final class Concurrently {
    /** How long a whole concurrent run may take, generous for slow CI databases. */
    static final long TIMEOUT_SECONDS = 60;

    /** What each thread runs; {@code thread} is 0 to threads - 1. */
    @FunctionalInterface
    interface Task {
        /** Runs on thread number {@code thread}. */
        void run(int thread) throws Exception;
    }

    private Concurrently() {
    }

    /**
     * Runs {@code task} on {@code threads} threads started together and waits for all of them. The first
     * failure interrupts the other workers, so none is left waiting at a {@link Barrier} for a party that
     * died.
     */
    static void run(int threads, Task task) {
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int number = i;
            started.add(new Thread(() -> {
                try {
                    start.await();
                    task.run(number);
                } catch (Throwable t) {
                    boolean first;
                    synchronized (failures) {
                        first = failures.isEmpty();
                        failures.add(t);
                    }
                    if (first) {
                        started.stream().filter(other -> other != Thread.currentThread()).forEach(Thread::interrupt);
                    }
                }
            }, "contract-worker-" + i));
        }
        for (Thread thread : started) {
            thread.setDaemon(true);
            thread.start();
        }
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        for (Thread thread : started) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for worker threads", e);
            }
            if (thread.isAlive()) {
                started.forEach(Thread::interrupt);
                failures.add(new TimeoutException(thread.getName() + " still running after " + TIMEOUT_SECONDS + " s"));
                break;
            }
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("a concurrent worker failed: " + failures.get(0), failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    /**
     * A barrier for {@code parties} threads that gives up after {@link #TIMEOUT_SECONDS}, so a worker that
     * died never leaves the others waiting forever.
     */
    static Barrier barrier(int parties) {
        return new Barrier(new CyclicBarrier(parties));
    }

    /** A reusable meeting point for the workers of one {@link #run}. */
    static final class Barrier {
        private final CyclicBarrier barrier;

        private Barrier(CyclicBarrier barrier) {
            this.barrier = barrier;
        }

        /** Waits until every party arrived. */
        void await() throws InterruptedException, BrokenBarrierException, TimeoutException {
            barrier.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}

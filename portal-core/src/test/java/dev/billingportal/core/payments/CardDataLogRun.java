package dev.billingportal.core.payments;

/**
 * Runs {@link CardDataAttack} in a JVM of its own, so that {@link CardDataAttackTest} can read everything logged at
 * TRACE (slf4j-simple writes to the file the test names) and everything written to stdout and stderr.
 */
final class CardDataLogRun {
    private CardDataLogRun() {
    }

    /**
     * Sends the attack and prints how many answers were 2xx, 4xx and 5xx.
     *
     * @param args none
     */
    public static void main(String[] args) {
        var answers = new CardDataAttack().run();
        long ok = answers.values().stream().filter(r -> r.status() < 300).count();
        long refused = answers.values().stream().filter(r -> r.status() >= 400 && r.status() < 500).count();
        long failed = answers.values().stream().filter(r -> r.status() >= 500).count();
        System.out.println("answers: " + ok + " 2xx, " + refused + " 4xx, " + failed + " 5xx");
    }
}

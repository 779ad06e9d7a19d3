package dev.billingportal.testkit;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The random draws of {@link PortalApiFuzzContract}'s request generator: the one seeded {@link Random} that
 * {@link ApiFuzzGenerator}, {@link ApiFuzzHeaders} and {@link ApiFuzzBodies} all draw from, one after the other in
 * the order the generator calls them, so that a seed gives the same requests.
 */
final class ApiFuzzDice {
    private static final String RESERVED = "/?#&=%+;:@$,!*'()[]\\\"<> .";

    final Random random;

    ApiFuzzDice(Random random) {
        this.random = random;
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** Text mixing ASCII, reserved characters, escapes, controls, accents, CJK, emoji and lone surrogates. */
    String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        Supplier<String> part = () -> switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> String.valueOf((char) ('a' + random.nextInt(26)));
            case 4 -> String.valueOf(RESERVED.charAt(random.nextInt(RESERVED.length())));
            case 5 -> String.valueOf((char) random.nextInt(0x20));
            case 6 -> String.valueOf((char) (0xC0 + random.nextInt(0x100)));
            case 7 -> String.valueOf((char) (0x4E00 + random.nextInt(0x500)));
            case 8 -> "😀";
            default -> String.valueOf((char) (0xD800 + random.nextInt(0x800)));
        };
        while (text.length() < length) {
            text.append(part.get());
        }
        return text.toString();
    }
}

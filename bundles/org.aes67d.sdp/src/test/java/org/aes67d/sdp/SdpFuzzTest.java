package org.aes67d.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds random and mutated SDPs to the parser. Only {@link SdpParseException} or a result is allowed, and every
 * result must survive a write/parse round trip. Seeded, so a failure reproduces.
 */
class SdpFuzzTest {
    private static final int ROUNDS = 40_000;
    private static final String[] HUGE = {"99999999999999999999999", "2147483648", "4294967296", "-1", "0", "65536",
        "128", "256", "1e9", "NaN", "0x10", "+5", "1.5", "", "00000000000000000000001", "1", "255"};
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final String ALPHABET = "v=o-sctmai0123456789 ./:-IN IP4 \t\r\n\u0000\u00ff\u2028\uffff\ud800=;,()";

    @Test
    // Catches a parser that never returns, not a slow host: 3 s idle here, 50 s seen on a host at load 40.
    @Timeout(600)
    void parserSurvivesAnyInput() {
        List<String> seeds = Golden.all().stream().map(Golden::text).toList();
        Random r = new Random(0x5D9AE567L);
        int accepted = 0;
        for (int i = 0; i < ROUNDS; i++) {
            String input = input(r, seeds);
            try {
                SessionDescription s = SdpParser.parse(input);
                accepted++;
                assertEquals(s, SdpParser.parse(SdpWriter.write(s)), () -> "round trip of input " + describe(input));
            } catch (SdpParseException expected) {
                assertTrue(expected.getMessage().lines().count() == 1, expected.getMessage());
            } catch (RuntimeException | StackOverflowError e) {
                fail("round " + i + ": " + e + " for input " + describe(input), e);
            }
        }
        // the mutations must leave enough valid inputs for the round trip check to mean something
        assertTrue(accepted > ROUNDS / 10, "only " + accepted + " inputs accepted");
    }

    private static String input(Random r, List<String> seeds) {
        int kind = r.nextInt(20);
        if (kind == 0) {
            return randomBytes(r, r.nextInt(400));
        }
        if (kind == 1) {
            return splice(r, seeds);
        }
        String s = seeds.get(r.nextInt(seeds.size()));
        int mutations = 1 + r.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            s = mutate(r, s);
        }
        return s;
    }

    private static String mutate(Random r, String s) {
        List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
        int at = r.nextInt(lines.size());
        switch (r.nextInt(10)) {
            case 0: // truncate
                return s.substring(0, r.nextInt(s.length() + 1));
            case 1: // flip bytes
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                for (int n = 1 + r.nextInt(8); n > 0 && b.length > 0; n--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                }
                return new String(b, r.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            case 2: // duplicate a line elsewhere
                lines.add(r.nextInt(lines.size() + 1), lines.get(at));
                break;
            case 3: // replace a random number by a huge, negative or odd one
                List<int[]> numbers = new ArrayList<>();
                Matcher d = DIGITS.matcher(s);
                while (d.find()) {
                    numbers.add(new int[] {d.start(), d.end()});
                }
                if (numbers.isEmpty()) {
                    return s;
                }
                int[] n = numbers.get(r.nextInt(numbers.size()));
                return s.substring(0, n[0]) + HUGE[r.nextInt(HUGE.length)] + s.substring(n[1]);
            case 4: // empty a value
                String l = lines.get(at);
                int cut = Math.max(l.indexOf(':'), l.indexOf('='));
                lines.set(at, cut < 0 ? "" : l.substring(0, cut + 1));
                break;
            case 5: // delete a line
                lines.remove(at);
                break;
            case 6: // swap two lines
                int other = r.nextInt(lines.size());
                String tmp = lines.get(at);
                lines.set(at, lines.get(other));
                lines.set(other, tmp);
                break;
            case 7: // insert junk
                int pos = r.nextInt(s.length() + 1);
                return s.substring(0, pos) + junk(r, 1 + r.nextInt(20)) + s.substring(pos);
            case 8: // blow a line up, sometimes past the size limit
                lines.set(at, lines.get(at).repeat(1 + r.nextInt(r.nextInt(20) == 0 ? 5000 : 20)));
                break;
            default: // swap a token for junk
                String[] tokens = lines.get(at).split(" ", -1);
                tokens[r.nextInt(tokens.length)] = junk(r, r.nextInt(6));
                lines.set(at, String.join(" ", tokens));
                break;
        }
        return String.join(r.nextInt(4) == 0 ? "\r\n" : "\n", lines);
    }

    /** Lines of several golden files in random order: plausible structure, odd combinations. */
    private static String splice(Random r, List<String> seeds) {
        StringBuilder sb = new StringBuilder("v=0\n");
        for (int n = r.nextInt(30); n > 0; n--) {
            String[] lines = seeds.get(r.nextInt(seeds.size())).split("\r?\n");
            sb.append(lines[r.nextInt(lines.length)]).append('\n');
        }
        return sb.toString();
    }

    private static String junk(Random r, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static String randomBytes(Random r, int length) {
        byte[] b = new byte[length];
        r.nextBytes(b);
        return new String(b, r.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private static String describe(String input) {
        String s = input.length() > 400 ? input.substring(0, 400) + "..." : input;
        return "\"" + s.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}

package org.aes67d.session.internal;

import java.util.Set;
import java.util.regex.Pattern;

import org.aes67d.sdp.MediaDescription;
import org.aes67d.sdp.SdpParseException;
import org.aes67d.sdp.SdpParser;
import org.aes67d.sdp.SessionDescription;

/**
 * The rule for the auto sink update (docs/security.md): a browsed SDP may replace a sink's SDP only when it is
 * complete and well-formed as written, without the lenient parser's allowances (a campaign of mutated SAP
 * announcements re-created a sink from {@code o=... IN IP5 127.0.0.1}), when the host that announced it is the
 * {@code o=} origin's own address, and when that origin is not this daemon (our own sources' sessions come from
 * the session manager itself, never from the network).
 */
final class TrustedSdp {
    /** type=value with a lower-case letter type, nothing around it (RFC 4566 5: no whitespace either side of =). */
    private static final Pattern LINE = Pattern.compile("[a-z]=\\S(.*\\S)?|s= ");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,20}");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    /** Attributes the parser keeps only once: a second copy (kept raw) means it had to choose. */
    private static final Set<String> SINGLE = Set.of("ptime", "maxptime", "framecount", "mediaclk");

    private TrustedSdp() {
    }

    /**
     * Null when {@code sdp}, announced by {@code announcer}, may feed the auto sink update of this daemon (whose
     * address is {@code ownAddress}); else why not.
     */
    static String refusal(String sdp, String announcer, String ownAddress) {
        if (sdp == null || sdp.isEmpty()) {
            return "no SDP";
        }
        String[] lines = sdp.split("\r\n|\n", -1);
        int count = lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        boolean timing = false;
        boolean media = false;
        for (int i = 0; i < count; i++) {
            String l = lines[i];
            if (!LINE.matcher(l).matches()) {
                return "line " + (i + 1) + " is not type=value";
            }
            timing |= l.startsWith("t=") && !media;
            media |= l.startsWith("m=");
        }
        if (count < 3 || !lines[0].equals("v=0") || !lines[1].startsWith("o=") || !lines[2].startsWith("s=")) {
            return "does not start with v=0, o=, s=";
        }
        if (!timing) {
            return "no t= line before the media";
        }
        String[] o = lines[1].substring(2).split(" ", -1);
        if (o.length != 6 || !DECIMAL.matcher(o[1]).matches() || !DECIMAL.matcher(o[2]).matches()
                || !o[3].equals("IN") || !o[4].equals("IP4") || !IPV4.matcher(o[5]).matches()) {
            return "o= is not <user> <id> <version> IN IP4 <address>";
        }
        SessionDescription d;
        try {
            d = SdpParser.parse(sdp);
        } catch (SdpParseException e) {
            return "does not parse: " + e.getMessage();
        }
        for (MediaDescription m : d.media()) {
            for (String a : m.otherAttributes()) {
                int colon = a.indexOf(':');
                if (SINGLE.contains(colon < 0 ? a : a.substring(0, colon))) {
                    return "a second or unreadable a=" + a;
                }
            }
            if (m.connection() == null || !IPV4.matcher(m.connection().address()).matches()) {
                return "no c=IN IP4 for its media";
            }
        }
        String origin = o[5];
        if (origin.equals(ownAddress)) {
            return "its origin " + origin + " is this daemon: only our own sources speak for it";
        }
        if (!origin.equals(announcer)) {
            return "announced by " + (announcer == null || announcer.isEmpty() ? "an unknown host" : announcer)
                    + ", not by its origin " + origin;
        }
        return null;
    }
}

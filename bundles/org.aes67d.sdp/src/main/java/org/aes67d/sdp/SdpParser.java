package org.aes67d.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.aes67d.sdp.internal.Numbers;

/**
 * Lenient SDP parser for AES67, RAVENNA, Dante and ST 2110-30 senders. It accepts LF, CRLF or CR line ends, blank
 * lines, surrounding whitespace, lines in any order after {@code v=0} and unknown line types. It rejects what a sink
 * cannot use: no origin, no {@code m=audio}, no connection, no rtpmap for a dynamic payload type, malformed
 * {@code o=}, {@code c=}, {@code m=} or rtpmap of the payload type in use. Optional attributes whose value it cannot
 * read are kept raw in {@code otherAttributes} rather than failing the whole SDP.
 */
public final class SdpParser {
    /** Longest accepted text in chars. SAP datagrams and RTSP answers are far smaller; this bounds the work. */
    public static final int MAX_LENGTH = 64 * 1024;

    private static final Set<String> DIRECTIONS = Set.of("recvonly", "sendonly", "sendrecv", "inactive");

    private final Scope session = new Scope();
    private final List<String> groupDup = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    private Origin origin;
    private String name;
    private Block current;
    private boolean skipping; // inside a non-audio m= block, whose lines are ignored
    private int lineNo;
    private String line;

    private SdpParser() {
    }

    /** Parses one session description. */
    public static SessionDescription parse(String text) throws SdpParseException {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_LENGTH) {
            throw new SdpParseException("SDP longer than " + MAX_LENGTH + " characters");
        }
        return new SdpParser().run(text);
    }

    private SessionDescription run(String text) throws SdpParseException {
        boolean versionSeen = false;
        for (String raw : text.split("\r\n|\r|\n", -1)) {
            lineNo++;
            line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw fail("not a type=value line " + quoted());
            }
            char type = line.charAt(0);
            String value = line.substring(2).strip();
            if (!versionSeen) {
                if (type != 'v' || !value.equals("0")) {
                    throw fail("expected \"v=0\", got " + quoted());
                }
                versionSeen = true;
                continue;
            }
            switch (type) {
                case 'v' -> throw fail("second v= line");
                case 'o' -> origin(value);
                case 's' -> {
                    if (name != null) {
                        throw fail("second s= line");
                    }
                    name = value;
                }
                case 'c' -> connection(value);
                case 'm' -> media(value);
                case 'a' -> attribute(value);
                default -> {
                    // t, i, u, e, p, b, z, k, r and unknown types carry nothing a sink needs
                }
            }
        }
        if (!versionSeen) {
            throw new SdpParseException("empty SDP");
        }
        if (origin == null) {
            throw new SdpParseException("no o= line");
        }
        if (blocks.isEmpty()) {
            throw new SdpParseException("no m=audio line");
        }
        List<MediaDescription> media = new ArrayList<>();
        for (Block b : blocks) {
            media.add(b.resolve(session));
        }
        return new SessionDescription(origin, name == null ? "" : name, session.connection, session.clockDomain,
                session.tsRefclk, session.mediaclk, session.sourceFilter, session.direction, groupDup,
                session.others, media);
    }

    private void origin(String value) throws SdpParseException {
        String[] f = value.split("\\s+");
        if (origin != null) {
            throw fail("second o= line");
        }
        if (f.length != 6 || !f[3].equals("IN")) {
            throw fail("bad o= line " + quoted());
        }
        origin = new Origin(f[0], f[1], f[2], f[4], f[5]);
    }

    private void connection(String value) throws SdpParseException {
        if (skipping) {
            return;
        }
        Scope scope = current != null ? current : session;
        if (scope.connection != null) {
            throw fail("second c= line in the same block");
        }
        String[] f = value.split("\\s+");
        if (f.length == 3 && f[0].equals("IN")) {
            String[] a = f[2].split("/", -1);
            if (f[1].equals("IP4") && a.length <= 3 && Numbers.ipv4(a[0]) >= 0) {
                // c=IN IP4 <addr>[/<ttl>[/<count>]]; the address count is not modelled
                int ttl = a.length >= 2 ? Numbers.parseInt(a[1], 0, 255) : 0;
                if (ttl >= 0 && (a.length < 3 || Numbers.parseInt(a[2], 1, 255) > 0)) {
                    scope.connection = new Connection(a[0], ttl);
                    return;
                }
            } else if (f[1].equals("IP6") && ipv6(a[0])) {
                scope.connection = new Connection(a[0], 0); // an IPv6 suffix is an address count, not a TTL
                return;
            }
        }
        throw fail("bad c= line " + quoted());
    }

    private void media(String value) throws SdpParseException {
        String[] f = value.split("\\s+");
        if (!f[0].equals("audio")) {
            current = null;
            skipping = true;
            return;
        }
        // m=audio <port> <transport> <fmt> ...: the first format is the one in use
        int port = f.length >= 4 ? Numbers.parseInt(f[1], 0, 65535) : -1;
        int pt = f.length >= 4 ? Numbers.parseInt(f[3], 0, 127) : -1;
        if (port < 0 || pt < 0) {
            throw fail("bad m= line " + quoted());
        }
        current = new Block(lineNo, port, f[2], pt);
        blocks.add(current);
        skipping = false;
    }

    private void attribute(String text) throws SdpParseException {
        if (skipping) {
            return;
        }
        int colon = text.indexOf(':');
        String key = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? null : text.substring(colon + 1).strip();
        Scope scope = current != null ? current : session;
        boolean modelled = scope.take(key, value)
                || (current == null ? sessionAttribute(key, value) : mediaAttribute(current, key, value));
        if (!modelled) {
            scope.others.add(text);
        }
    }

    private boolean sessionAttribute(String key, String value) {
        if (key.equals("group") && value != null && groupDup.isEmpty()) {
            String[] f = value.split("\\s+");
            if (f.length >= 2 && f[0].equals("DUP")) {
                groupDup.addAll(List.of(f).subList(1, f.length));
                return true;
            }
        }
        return false;
    }

    private boolean mediaAttribute(Block b, String key, String value) throws SdpParseException {
        if (value == null) {
            return false;
        }
        switch (key) {
            case "rtpmap":
                return b.encoding == null && ownPayloadType(b, value) && rtpmap(b, afterFirstToken(value));
            case "fmtp":
                if (b.fmtp == null && ownPayloadType(b, value)) {
                    b.fmtp = afterFirstToken(value);
                    return true;
                }
                return false;
            case "ptime":
                if (b.ptime == 0) {
                    b.ptime = Math.max(0, Numbers.parsePositiveDecimal(value));
                    return b.ptime > 0;
                }
                return false;
            case "maxptime":
                if (b.maxptime == 0) {
                    b.maxptime = Math.max(0, Numbers.parsePositiveDecimal(value));
                    return b.maxptime > 0;
                }
                return false;
            case "framecount":
                if (b.framecount == null && framecount(value)) {
                    b.framecount = value;
                    return true;
                }
                return false;
            case "mid":
                if (b.mid == null && !value.isEmpty()) {
                    b.mid = value;
                    return true;
                }
                return false;
            default:
                return false;
        }
    }

    /** rtpmap of the payload type in use: {@code <encoding>/<rate>[/<channels>]}; malformed is fatal. */
    private boolean rtpmap(Block b, String spec) throws SdpParseException {
        String[] f = spec.split("/", -1);
        int rate = f.length >= 2 && f.length <= 3 ? Numbers.parseInt(f[1], 1, 999_999_999) : -1;
        int channels = f.length == 3 ? Numbers.parseInt(f[2], 1, 255) : 1;
        if (f[0].isEmpty() || f[0].chars().anyMatch(Character::isWhitespace) || rate < 0 || channels < 0) {
            throw fail("bad rtpmap " + quoted());
        }
        b.encoding = canonicalEncoding(f[0]);
        b.sampleRate = rate;
        b.channels = channels;
        return true;
    }

    private static boolean ownPayloadType(Block b, String value) {
        int end = 0;
        while (end < value.length() && !Character.isWhitespace(value.charAt(end))) {
            end++;
        }
        return Numbers.parseInt(value.substring(0, end), 0, 127) == b.payloadType;
    }

    private static String afterFirstToken(String value) {
        int end = 0;
        while (end < value.length() && !Character.isWhitespace(value.charAt(end))) {
            end++;
        }
        return value.substring(end).strip();
    }

    /** {@code N} or {@code N-M} (RAVENNA announces a range of accepted packet sizes). */
    private static boolean framecount(String value) {
        int dash = value.indexOf('-');
        if (dash < 0) {
            return Numbers.parseInt(value, 1, Integer.MAX_VALUE) > 0;
        }
        return Numbers.parseInt(value.substring(0, dash), 1, Integer.MAX_VALUE) > 0
                && Numbers.parseInt(value.substring(dash + 1), 1, Integer.MAX_VALUE) > 0;
    }

    private static String canonicalEncoding(String name) {
        for (String known : new String[] {"L16", "L24", "AM824"}) {
            if (known.equalsIgnoreCase(name)) {
                return known;
            }
        }
        return name;
    }

    private static boolean ipv6(String s) {
        if (s.indexOf(':') < 0 || s.length() > 45) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ':' && c != '.' && (c >= 128 || Character.digit(c, 16) < 0)) {
                return false;
            }
        }
        return true;
    }

    private SdpParseException fail(String reason) {
        return new SdpParseException("line " + lineNo + ": " + reason);
    }

    /** The current line in quotes, shortened and with control characters replaced so the message stays one line. */
    private String quoted() {
        String s = line.length() > 80 ? line.substring(0, 80) + "..." : line;
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        return sb.append('"').toString();
    }

    /** Attributes allowed at both levels; the first occurrence is modelled, repeats stay raw. */
    private static class Scope {
        final List<String> others = new ArrayList<>();
        Connection connection;
        String clockDomain;
        String tsRefclk;
        String mediaclk;
        String sourceFilter;
        String direction;

        boolean take(String key, String value) {
            if (value == null) {
                if (direction == null && DIRECTIONS.contains(key)) {
                    direction = key;
                    return true;
                }
                return false;
            }
            if (value.isEmpty()) {
                return false;
            }
            if (key.equals("clock-domain") && clockDomain == null) {
                clockDomain = value;
            } else if (key.equals("ts-refclk") && tsRefclk == null) {
                tsRefclk = value;
            } else if (key.equals("mediaclk") && mediaclk == null) {
                mediaclk = value;
            } else if (key.equals("source-filter") && sourceFilter == null) {
                sourceFilter = value;
            } else {
                return false;
            }
            return true;
        }
    }

    private static final class Block extends Scope {
        final int line;
        final int port;
        final String transport;
        final int payloadType;
        String encoding;
        int sampleRate;
        int channels;
        String framecount;
        double ptime;
        double maxptime;
        String fmtp;
        String mid;

        Block(int line, int port, String transport, int payloadType) {
            this.line = line;
            this.port = port;
            this.transport = transport;
            this.payloadType = payloadType;
        }

        MediaDescription resolve(Scope s) throws SdpParseException {
            Connection c = connection != null ? connection : s.connection;
            if (c == null) {
                throw new SdpParseException("line " + line + ": m=audio block without a c= line");
            }
            String enc = encoding;
            int rate = sampleRate;
            int ch = channels;
            if (enc == null) {
                // RFC 3551 static payload types: 10 is L16/44100/2, 11 is L16/44100/1
                if (payloadType != 10 && payloadType != 11) {
                    throw new SdpParseException("missing rtpmap for payload type " + payloadType);
                }
                enc = "L16";
                rate = 44100;
                ch = payloadType == 10 ? 2 : 1;
            }
            return new MediaDescription(port, transport, payloadType, enc, rate, ch, c, framecount,
                    ptime, maxptime, or(mediaclk, s.mediaclk), or(clockDomain, s.clockDomain),
                    or(tsRefclk, s.tsRefclk), or(sourceFilter, s.sourceFilter), fmtp, mid,
                    or(direction, s.direction), others);
        }

        private static String or(String own, String inherited) {
            return own != null ? own : inherited;
        }
    }
}

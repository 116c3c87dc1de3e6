package org.aes67d.discovery.sap.internal;

/**
 * The two lines SAP needs from an SDP, found by a plain line scan: SAP carries any session, not only the audio
 * sessions the full SDP parser accepts, and a browser must list those too.
 */
final class SdpLines {
    private SdpLines() {
    }

    /** The value of the first {@code <type>=} line, stripped, or null. Accepts LF, CRLF and CR line ends. */
    static String first(String sdp, char type) {
        for (String line : sdp.split("\r\n|\r|\n")) {
            if (line.length() >= 2 && line.charAt(0) == type && line.charAt(1) == '=') {
                return line.substring(2).strip();
            }
        }
        return null;
    }

    /** The session name ({@code s=}), "" when absent. */
    static String name(String sdp) {
        String s = first(sdp, 's');
        return s == null ? "" : s;
    }

    /** The whole {@code o=} line with a LF, the payload of a deletion (compat.md section 6), or null. */
    static String originLine(String sdp) {
        String o = first(sdp, 'o');
        return o == null ? null : "o=" + o + "\n";
    }

    /**
     * The o= fields that identify a session across versions (RFC 4566: username, sess-id, nettype, addrtype,
     * unicast-address), joined by spaces, or null when the line is missing or malformed.
     */
    static String sessionKey(String sdp) {
        String[] f = fields(sdp);
        return f == null ? null : f[0] + " " + f[1] + " " + f[3] + " " + f[4] + " " + f[5];
    }

    /** Like {@link #sessionKey} plus the version: one exact version of one session. */
    static String versionKey(String sdp) {
        String[] f = fields(sdp);
        return f == null ? null : String.join(" ", f);
    }

    private static String[] fields(String sdp) {
        String o = first(sdp, 'o');
        if (o == null) {
            return null;
        }
        String[] f = o.split("\\s+");
        return f.length == 6 ? f : null;
    }
}

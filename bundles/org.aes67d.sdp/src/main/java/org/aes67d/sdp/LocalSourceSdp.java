package org.aes67d.sdp;

import java.util.Objects;
import org.aes67d.sdp.internal.Numbers;

/**
 * The SDP of a local source, byte for byte as the C++ daemon writes it (compat.md section 5), LF line ends. One
 * deliberate difference: a unicast destination gets no {@code /ttl}, as RFC 4566 allows a TTL only on multicast.
 */
public final class LocalSourceSdp {
    private LocalSourceSdp() {
    }

    /**
     * What the SDP of one local source is made of.
     *
     * @param nodeId node id, e.g. {@code Daemon 007f0100}
     * @param sourceName source name
     * @param localIp address of the sending interface (origin and source-filter)
     * @param sessionId see {@link LocalSourceSdp#sessionId(String, int)}
     * @param sessionVersion changes whenever the source changes
     * @param rtpPort destination UDP port
     * @param payloadType RTP payload type
     * @param destination multicast group or unicast address
     * @param ttl multicast TTL
     * @param codec {@code L16}, {@code L24} or {@code AM824}
     * @param sampleRate samples per second
     * @param channels channel count
     * @param framecount frames per packet ({@code max_samples_per_packet})
     * @param ptpDomain PTP domain
     * @param grandmasterId PTP grand master, e.g. {@code 00-1D-C1-FF-FE-12-34-56}; may be null when traceable
     * @param traceable write {@code ptp=IEEE1588-2008:traceable} instead of the grand master
     * @param secondary second leg for ST 2022-7, or null for a single stream
     */
    public record Params(String nodeId, String sourceName, String localIp, long sessionId, long sessionVersion,
            int rtpPort, int payloadType, String destination, int ttl, String codec, int sampleRate, int channels,
            int framecount, int ptpDomain, String grandmasterId, boolean traceable, Secondary secondary) {
        public Params {
            for (String s : new String[] {nodeId, sourceName, localIp, destination, codec}) {
                checkText(Objects.requireNonNull(s));
            }
            if (!traceable) {
                checkText(Objects.requireNonNull(grandmasterId, "grandmasterId is required unless traceable"));
            }
            check(sessionId >= 0 && sessionVersion >= 0, "negative session id or version");
            check(rtpPort >= 0 && rtpPort <= 65535, "rtpPort out of 0..65535");
            check(payloadType >= 0 && payloadType <= 127, "payloadType out of 0..127");
            check(ttl >= 0 && ttl <= 255, "ttl out of 0..255");
            check(sampleRate > 0 && channels > 0 && framecount > 0, "sampleRate, channels, framecount must be > 0");
            check(ptpDomain >= 0 && ptpDomain <= 255, "ptpDomain out of 0..255");
        }
    }

    /**
     * The ST 2022-7 secondary leg: same format, its own interface address, destination and port.
     *
     * @param localIp address of the secondary interface
     * @param destination secondary multicast group or unicast address
     * @param rtpPort secondary destination UDP port
     */
    public record Secondary(String localIp, String destination, int rtpPort) {
        public Secondary {
            checkText(Objects.requireNonNull(localIp));
            checkText(Objects.requireNonNull(destination));
            check(rtpPort >= 0 && rtpPort <= 65535, "rtpPort out of 0..65535");
        }
    }

    /**
     * The SDP text. With a secondary leg: {@code a=group:DUP 1 2} and two blocks tagged {@code a=mid:1}/{@code 2},
     * the second without {@code a=recvonly}, as the C++ daemon writes it.
     */
    public static String render(Params p) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("v=0\n");
        sb.append("o=- ").append(p.sessionId()).append(' ').append(p.sessionVersion()).append(" IN IP4 ")
                .append(p.localIp()).append('\n');
        sb.append("s=").append(p.nodeId()).append(' ').append(p.sourceName()).append('\n');
        sb.append("t=0 0\n");
        if (p.secondary() == null) {
            block(sb, p, p.localIp(), p.destination(), p.rtpPort(), null);
        } else {
            sb.append("a=group:DUP 1 2\n");
            block(sb, p, p.localIp(), p.destination(), p.rtpPort(), "1");
            Secondary s = p.secondary();
            block(sb, p, s.localIp(), s.destination(), s.rtpPort(), "2");
        }
        return sb.toString();
    }

    /**
     * The session id of source {@code sourceId}: the u32 whose hex digits form the node id (bytes b, a, d, c of
     * a.b.c.d) plus the id, modulo 2^32. 127.0.0.1 and id 0 give 8323328.
     *
     * @throws IllegalArgumentException when {@code ipv4} is not a dotted quad or the id is negative
     */
    public static long sessionId(String ipv4, int sourceId) {
        long ip = Numbers.ipv4(ipv4);
        check(ip >= 0, "not an IPv4 address: " + ipv4);
        check(sourceId >= 0, "negative source id");
        long a = ip >>> 24;
        long b = (ip >>> 16) & 0xFF;
        long c = (ip >>> 8) & 0xFF;
        long d = ip & 0xFF;
        return ((b << 24 | a << 16 | d << 8 | c) + sourceId) & 0xFFFF_FFFFL;
    }

    /** Packet time in ms as the C++ daemon prints it (ostream precision 12): 1, 0.25, 1.08843537415. */
    public static String ptime(int framecount, int sampleRate) {
        return Numbers.formatG12(framecount * 1000.0 / sampleRate);
    }

    private static void block(StringBuilder sb, Params p, String ip, String dest, int port, String mid) {
        // RFC 4566: the TTL suffix is for multicast only
        String ttl = new Connection(dest, 0).multicast() ? "/" + p.ttl() : "";
        sb.append("m=audio ").append(port).append(" RTP/AVP ").append(p.payloadType()).append('\n');
        sb.append("c=IN IP4 ").append(dest).append(ttl).append('\n');
        sb.append("a=source-filter: incl IN IP4 ").append(dest).append(' ').append(ip).append('\n');
        sb.append("a=rtpmap:").append(p.payloadType()).append(' ').append(p.codec()).append('/')
                .append(p.sampleRate()).append('/').append(p.channels()).append('\n');
        sb.append("a=sync-time:0\n");
        sb.append("a=framecount:").append(p.framecount()).append('\n');
        sb.append("a=ptime:").append(ptime(p.framecount(), p.sampleRate())).append('\n');
        sb.append("a=mediaclk:direct=0\n");
        sb.append("a=clock-domain:PTPv2 ").append(p.ptpDomain()).append('\n');
        sb.append("a=ts-refclk:ptp=IEEE1588-2008:")
                .append(p.traceable() ? "traceable" : p.grandmasterId() + ":" + p.ptpDomain()).append('\n');
        if (!"2".equals(mid)) {
            sb.append("a=recvonly\n"); // the C++ daemon writes no direction in its second block
        }
        if (mid != null) {
            sb.append("a=mid:").append(mid).append('\n');
        }
    }

    private static void checkText(String s) {
        check(s.indexOf('\n') < 0 && s.indexOf('\r') < 0, "line break in an SDP value");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

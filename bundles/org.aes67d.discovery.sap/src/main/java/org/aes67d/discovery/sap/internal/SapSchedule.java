package org.aes67d.discovery.sap.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;

/**
 * What to send when: the announcer's state as pure logic (no sockets, no threads; the caller passes a monotonic
 * clock in milliseconds and sends the packets it gets back). Not thread-safe: the announcer thread owns it.
 *
 * <ul>
 * <li>{@link #update}: the announcement goes out at once, then every interval. A changed SDP (new hash) also
 * starts the 3 deletions of the previous version, as the C++ daemon does, so listeners that key on the hash drop
 * it.</li>
 * <li>{@link #remove}: 3 deletions carrying the o= line, the first at once, then one per interval.</li>
 * <li>The interval is {@code sap_interval} when it is not 0, else RFC 2974's ({@link SapInterval}) for the packet's
 * size and the number of announcements on the group.</li>
 * </ul>
 */
final class SapSchedule {
    static final int DELETIONS = 3;

    private record Announced(String sdp, int hash, byte[] packet, long nextAt) {
    }

    private static final class Deletion {
        final int hash;
        final byte[] packet;
        int remaining;
        long nextAt;

        Deletion(int hash, byte[] packet, long nextAt) {
            this.hash = hash;
            this.packet = packet;
            this.remaining = DELETIONS;
            this.nextAt = nextAt;
        }
    }

    private final InetAddress origin;
    private final RandomGenerator random;
    private final IntSupplier adsOnGroup;
    private final Map<Integer, Announced> announced = new TreeMap<>();
    private final List<Deletion> deletions = new ArrayList<>();
    private long fixedIntervalMillis;

    /**
     * @param origin the originating source address written into every header
     * @param intervalSeconds {@code sap_interval}; 0 = RFC 2974 automatic
     * @param adsOnGroup how many announcements the group carries (for the automatic interval)
     */
    SapSchedule(InetAddress origin, int intervalSeconds, RandomGenerator random, IntSupplier adsOnGroup) {
        this.origin = origin;
        this.random = random;
        this.adsOnGroup = adsOnGroup;
        setInterval(intervalSeconds);
    }

    void setInterval(int intervalSeconds) {
        fixedIntervalMillis = intervalSeconds * 1000L;
    }

    long intervalMillis(int packetBytes) {
        if (fixedIntervalMillis > 0) {
            return fixedIntervalMillis;
        }
        int ads = Math.max(adsOnGroup.getAsInt(), announced.size());
        return SapInterval.randomizedMillis(SapInterval.baseSeconds(ads, packetBytes), random);
    }

    /** Source {@code id} now has {@code sdp}: the packets to send now. */
    List<byte[]> update(int id, String sdp, long now) {
        List<byte[]> out = new ArrayList<>();
        int hash = SapHash.messageIdHash(sdp);
        Announced previous = announced.get(id);
        if (previous != null && previous.hash != hash) {
            out.addAll(startDeletion(previous, now));
        }
        deletions.removeIf(d -> d.hash == hash); // announced again before its deletions ran out
        byte[] packet = SapPacket.sdp(false, hash, origin, sdp).encode();
        announced.put(id, new Announced(sdp, hash, packet, now + intervalMillis(packet.length)));
        out.add(packet);
        return out;
    }

    /** Source {@code id} was removed or disabled: the packets to send now. */
    List<byte[]> remove(int id, long now) {
        Announced previous = announced.remove(id);
        return previous == null ? List.of() : startDeletion(previous, now);
    }

    private List<byte[]> startDeletion(Announced a, long now) {
        String oLine = SdpLines.originLine(a.sdp);
        if (oLine == null) {
            return List.of(); // an SDP without o= cannot be deleted by content; its hash still differs from the new one
        }
        byte[] packet = SapPacket.sdp(true, a.hash, origin, oLine).encode();
        deletions.removeIf(d -> d.hash == a.hash);
        Deletion d = new Deletion(a.hash, packet, now);
        deletions.add(d);
        return List.of(sendDeletion(d, now));
    }

    private byte[] sendDeletion(Deletion d, long now) {
        d.remaining--;
        d.nextAt = now + intervalMillis(d.packet.length);
        return d.packet;
    }

    /** Packets whose time has come. */
    List<byte[]> due(long now) {
        List<byte[]> out = new ArrayList<>();
        for (Map.Entry<Integer, Announced> e : announced.entrySet()) {
            Announced a = e.getValue();
            if (a.nextAt <= now) {
                out.add(a.packet);
                e.setValue(new Announced(a.sdp, a.hash, a.packet, now + intervalMillis(a.packet.length)));
            }
        }
        for (Iterator<Deletion> it = deletions.iterator(); it.hasNext();) {
            Deletion d = it.next();
            if (d.remaining <= 0) {
                it.remove();
            } else if (d.nextAt <= now) {
                out.add(sendDeletion(d, now));
                if (d.remaining == 0) {
                    it.remove();
                }
            }
        }
        return out;
    }

    /** The earliest time something is due, or Long.MAX_VALUE. */
    long nextDue() {
        long next = Long.MAX_VALUE;
        for (Announced a : announced.values()) {
            next = Math.min(next, a.nextAt);
        }
        for (Deletion d : deletions) {
            next = Math.min(next, d.nextAt);
        }
        return next;
    }

    /**
     * Stopping: one deletion for every announced source and every deletion still pending, so listeners drop our
     * sessions now rather than after 10 periods. The schedule is empty afterwards.
     */
    List<byte[]> shutdown() {
        List<byte[]> out = new ArrayList<>();
        for (Deletion d : deletions) {
            out.add(d.packet);
        }
        deletions.clear();
        for (Announced a : announced.values()) {
            String oLine = SdpLines.originLine(a.sdp);
            if (oLine != null) {
                out.add(SapPacket.sdp(true, a.hash, origin, oLine).encode());
            }
        }
        announced.clear();
        return out;
    }

    int announcedCount() {
        return announced.size();
    }

    int pendingDeletions() {
        return deletions.size();
    }
}

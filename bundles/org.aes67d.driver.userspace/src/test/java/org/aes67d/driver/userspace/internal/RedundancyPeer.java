package org.aes67d.driver.userspace.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.aes67d.api.session.SinkStatus;

/**
 * One end of {@link RedundancyNetnsTest}, run in its own network namespace (a JVM cannot move its sockets there):
 * {@code source <media dir> <if1,if2> <group1> <port1> <group2> <port2> <seconds>} plays in.wav on both legs
 * until it reads a line on stdin (or for at most {@code seconds});
 * {@code sink ...} (same arguments, seconds unused) records out.wav from both legs, prints a STATUS line every
 * 50 ms and a FINAL line with the per-leg counters once it reads "quit" on stdin.
 */
public final class RedundancyPeer {
    private RedundancyPeer() {
    }

    public static void main(String[] args) throws Exception {
        Path media = Path.of(args[1]);
        String groupA = args[3];
        int portA = Integer.parseInt(args[4]);
        String groupB = args[5];
        int portB = Integer.parseInt(args[6]);
        try (Harness h = new Harness(media, false, 48000, args[2])) {
            if (args[0].equals("source")) {
                h.driver.startSource(Harness.withLeg(Harness.stream(1, groupA, portA, "L24", 48000, 2, 48, 0,
                        "file:" + media.resolve("in.wav")), groupB, portB));
                System.out.println("SENDING");
                BufferedReader stop = new BufferedReader(new InputStreamReader(System.in));
                long end = System.nanoTime() + Long.parseLong(args[7]) * 1_000_000_000L; // a safety limit
                while (!stop.ready() && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                SourceStream s = h.driver.engine().source(1);
                h.driver.stopSource(1); // the counts below are final only once nothing more is sent
                System.out.println("SENT primary=" + s.packetsSent() + " secondary=" + s.secondarySent()
                        + " errors=" + s.sendErrors() + "/" + s.secondaryErrors() + " skipped=" + s.packetsSkipped()
                        + " late_ms=" + s.maxLatenessNanos() / 1_000_000);
                return;
            }
            h.driver.startSink(Harness.withLeg(Harness.stream(1, groupA, portA, "L24", 48000, 2, 48, 12000,
                    "file:" + media.resolve("out.wav")), groupB, portB));
            System.out.println("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            while (!in.ready()) {
                SinkStatus st = h.driver.peekSinkStatus(1);
                System.out.println("STATUS receiving=" + st.receivingRtpPacket() + " some_muted=" + st.someMuted()
                        + " all_muted=" + st.allMuted());
                Thread.sleep(50);
            }
            in.readLine();
            SinkStream k = h.driver.engine().sink(1);
            List<Map<String, Object>> legs = h.driver.peekSinkStatus(1).legs();
            long[] c = k.counters();
            System.out.println("FINAL lost=" + c[VerifierCounters.LOST] + " concealed=" + k.buffer().concealedFrames()
                    + " late=" + k.buffer().lateFrames() + " gap_ms=" + k.maxArrivalGapNanos() / 1_000_000
                    + " missing_a=" + legs.get(0).get("missing") + " missing_b=" + legs.get(1).get("missing")
                    + " received_a=" + legs.get(0).get("received") + " received_b=" + legs.get(1).get("received"));
            h.driver.stopSink(1);
        }
    }
}

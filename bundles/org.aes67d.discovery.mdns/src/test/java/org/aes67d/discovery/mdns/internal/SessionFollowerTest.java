package org.aes67d.discovery.mdns.internal;

import static org.aes67d.discovery.mdns.internal.MdnsComponentTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SessionFollowerTest {
    /** A session that records what the follower did with it. */
    static final class Recorded implements SessionFollower.Session {
        final String url;
        final AtomicInteger connections = new AtomicInteger();
        final List<String> sdps = new CopyOnWriteArrayList<>();
        volatile boolean givenUp;
        volatile boolean wanted = true;

        Recorded(String url) {
            this.url = url;
        }

        @Override
        public String describeUrl() {
            connections.incrementAndGet(); // read once per connection attempt
            return url;
        }

        @Override
        public boolean wanted() {
            return wanted;
        }

        @Override
        public void described(String sdp) {
            sdps.add(sdp);
        }

        @Override
        public void givenUp() {
            givenUp = true;
        }

        @Override
        public boolean everDescribed() {
            return !sdps.isEmpty();
        }
    }

    @Test
    void aServerThatNeverAnswersIsGivenUpAfterItsAttempts() throws Exception {
        try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SessionFollower follower = new SessionFollower(100, 20, 3)) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new CopyOnWriteArrayList<>();
                try {
                    while (true) {
                        held.add(mute.accept()); // accepted, read by nobody, never answered
                    }
                } catch (java.io.IOException e) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (java.io.IOException ignored) {
                            // closing anyway
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Recorded s = new Recorded("rtsp://127.0.0.1:" + mute.getLocalPort() + "/by-name/mute");
            follower.follow(s);
            await("given up", () -> s.givenUp);
            assertEquals(3, s.connections.get(), "connection attempts");
            assertTrue(s.sdps.isEmpty());
        }
    }

    @Test
    void garbageFromTheServerEndsTheConnectionAndCountsAsAFailedAttempt() throws Exception {
        try (ServerSocket junk = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SessionFollower follower = new SessionFollower(2000, 20, 2)) {
            Thread server = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket c = junk.accept()) {
                            InputStream in = c.getInputStream();
                            in.read(new byte[4096]); // the DESCRIBE
                            c.getOutputStream().write("\u0000\u00ff not rtsp at all\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                            c.getOutputStream().flush();
                            in.read(); // until the client hangs up
                        }
                    }
                } catch (java.io.IOException e) {
                    // server closed
                }
            });
            server.setDaemon(true);
            server.start();
            Recorded s = new Recorded("rtsp://127.0.0.1:" + junk.getLocalPort() + "/by-name/junk");
            follower.follow(s);
            await("given up", () -> s.givenUp);
            assertEquals(2, s.connections.get());
        }
    }

    @Test
    void anUnfollowedSessionIsNotConnectedAgain() throws Exception {
        try (StubRtspServer rtsp = new StubRtspServer(InetAddress.getLoopbackAddress());
                SessionFollower follower = new SessionFollower(2000, 20, 3)) {
            rtsp.sdpByPath.put("/by-name/a", "v=0\r\ns=a\r\nm=audio 5004 RTP/AVP 97\r\n");
            Recorded s = new Recorded("rtsp://127.0.0.1:" + rtsp.port() + "/by-name/a");
            follower.follow(s);
            await("described", () -> s.sdps.size() == 1 && rtsp.connectionCount() == 1);
            follower.unfollow(s);
            await("its connection closed", () -> rtsp.connectionCount() == 0);
            // unfollowing removes the session with its connection: nothing is left that could connect again
            assertEquals(1, s.connections.get(), "connections of the unfollowed session");
        }
    }
}

package org.aes67d.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Gogo shell on a TCP port of 127.0.0.1, line by line ({@code nc 127.0.0.1 PORT}): the usual way to reach
 * the shell of a headless Felix deployment, kept to the loopback interface because whoever connects controls
 * the whole framework. Off while {@code shell_port} is 0.
 */
@Component(configurationPid = "org.aes67d.shell", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
@Designate(ocd = LocalShell.Config.class)
public final class LocalShell {
    private static final Logger LOG = LoggerFactory.getLogger(LocalShell.class);
    /** Enough for an operator and a script or two; more connections are refused, not queued. */
    static final int MAX_CONNECTIONS = 4;
    /** A line longer than this (a full sink JSON with an SDP is about 2 KB) ends the connection. */
    static final int MAX_LINE = 64 * 1024;
    static final String PROMPT = "aes67d> ";

    @ObjectClassDefinition(name = "aes67d Gogo shell", description = "The Gogo shell on 127.0.0.1")
    public @interface Config {
        @AttributeDefinition(min = "0", max = "65535", description = "TCP port on 127.0.0.1; 0 = off")
        int shell_port() default 0;
    }

    private final CommandProcessor processor;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private int port;

    @Activate
    public LocalShell(@Reference CommandProcessor processor, Config config) {
        this.processor = processor;
        listen(config.shell_port());
    }

    @Modified
    synchronized void modified(Config config) {
        if (config.shell_port() != port) {
            close();
            listen(config.shell_port());
        }
    }

    @Deactivate
    synchronized void close() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.debug("closing the shell port", e);
            }
            server = null;
        }
        for (Socket s : clients) {
            closeQuietly(s);
        }
        port = 0;
    }

    private synchronized void listen(int newPort) {
        port = newPort;
        if (newPort == 0) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), newPort));
            server = s;
            Thread t = new Thread(() -> accept(s), "aes67d-shell-accept");
            t.setDaemon(true);
            t.start();
            LOG.info("Gogo shell on 127.0.0.1:{}", newPort);
        } catch (IOException e) {
            LOG.error("Gogo shell: cannot listen on 127.0.0.1:{}: {}", newPort, e.getMessage());
        }
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // closed by close()
            }
            if (clients.size() >= MAX_CONNECTIONS) {
                refuse(client);
                continue;
            }
            clients.add(client);
            Thread t = new Thread(() -> serve(client), "aes67d-shell-" + client.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private static void refuse(Socket client) {
        try (client) {
            client.getOutputStream().write(("too many shell connections (at most " + MAX_CONNECTIONS + ")\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debug("refusing a shell connection", e);
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream raw = client.getOutputStream()) {
            PrintStream out = new PrintStream(raw, true, StandardCharsets.UTF_8);
            CommandSession session = processor.createSession(in, out, out);
            try {
                out.print(PROMPT);
                String line;
                while ((line = readLine(in)) != null) {
                    String command = line.strip();
                    if (command.equals("exit") || command.equals("quit")) {
                        break;
                    }
                    if (!command.isEmpty()) {
                        run(session, command, out);
                    }
                    out.print(PROMPT);
                }
            } finally {
                session.close();
            }
        } catch (SocketException e) {
            LOG.debug("shell connection closed", e);
        } catch (IOException e) {
            LOG.info("Gogo shell connection ended: {}", e.getMessage());
        } finally {
            clients.remove(client);
        }
    }

    static void run(CommandSession session, String command, PrintStream out) {
        try {
            Object result = session.execute(command);
            if (result != null) {
                CharSequence text = session.format(result, Converter.INSPECT);
                out.print(text);
                if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                    out.println();
                }
            }
        } catch (Exception e) { // a command's failure is the user's answer, not ours to handle
            out.println("error: " + e);
        }
    }

    /** One line in UTF-8 without its terminator, or null at the end of the stream. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debug("closing a shell connection", e);
        }
    }
}

package org.aes67d.launcher;

import java.util.List;

/** The C++ daemon's options: {@code [-c FILE] [-p PORT] [-a ADDR] [-v] [-h]}, long forms included. */
record CommandLine(String configFile, Integer httpPort, String httpAddr, boolean version, boolean help) {
    static final String DEFAULT_CONFIG = "/etc/daemon.conf";
    static final String USAGE = String.join("\n",
            "Usage: aes67-daemon [options]",
            "  -c, --config FILE     daemon configuration file (default " + DEFAULT_CONFIG + ")",
            "  -p, --http_port PORT  HTTP port, overrides http_port of the file",
            "  -a, --http_addr ADDR  HTTP bind address (default 0.0.0.0: all interfaces, as the C++ daemon 4.0)",
            "  -v, --version         print the version and exit",
            "  -h, --help            print this help and exit",
            "");

    static CommandLine parse(List<String> args) throws UsageException {
        String config = DEFAULT_CONFIG;
        Integer port = null;
        String addr = null;
        boolean version = false;
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "-v", "--version" -> version = true;
                case "-h", "--help" -> help = true;
                case "-c", "--config", "-p", "--http_port", "-a", "--http_addr" -> {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option " + a + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    switch (a) {
                        case "-c", "--config" -> config = value;
                        case "-p", "--http_port" -> port = port(value);
                        default -> addr = value;
                    }
                }
                default -> throw new UsageException("unknown option " + a);
            }
        }
        return new CommandLine(config, port, addr, version, help);
    }

    private static int port(String value) throws UsageException {
        try {
            int p = Integer.parseInt(value);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("--http_port must be a port number 1..65535, got \"" + value + "\"");
    }

    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}

package org.aes67d.streamer.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code org.aes67d.streamer}: the daemon.conf keys {@code streamer_*}. */
@ObjectClassDefinition(name = "aes67d HTTP streamer", description = "sinks as AAC-LC over HTTP: files and live")
public @interface StreamerConfig {
    @AttributeDefinition(description = "serve sinks over HTTP")
    boolean streamer_enabled() default false;

    @AttributeDefinition(description = "a sink is streamed when its map uses channels below this")
    int streamer_channels() default 8;

    @AttributeDefinition(description = "files kept per sink")
    int streamer_files_num() default 8;

    @AttributeDefinition(description = "seconds per file")
    int streamer_file_duration() default 1;

    @AttributeDefinition(description = "files a player buffers (reported to players)")
    int streamer_player_buffer_files_num() default 1;
}

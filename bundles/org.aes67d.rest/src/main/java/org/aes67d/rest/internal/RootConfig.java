package org.aes67d.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "AES67 web UI files", description = "What GET / serves (daemon.conf: http_base_dir)")
public @interface RootConfig {
    @AttributeDefinition(name = "Web UI folder",
            description = "Folder whose index.html and assets are served at /; missing = empty page")
    String http_base_dir() default "../webui/dist";
}

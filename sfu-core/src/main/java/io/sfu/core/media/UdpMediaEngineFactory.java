package io.sfu.core.media;

import io.sfu.core.session.MediaEngine;
import io.sfu.core.session.MediaEngineConfig;
import io.sfu.core.session.MediaEngineFactory;

/** Registers {@link UdpMediaEngine} with the process through {@link java.util.ServiceLoader}. */
public final class UdpMediaEngineFactory implements MediaEngineFactory {
    @Override
    public String name() {
        return "udp";
    }

    @Override
    public MediaEngine create(MediaEngineConfig config) throws Exception {
        return new UdpMediaEngine(config);
    }
}

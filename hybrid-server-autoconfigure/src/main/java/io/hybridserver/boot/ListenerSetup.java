package io.hybridserver.boot;

import io.hybridserver.tls.ServerTls;

/**
 * An additional listener ready to bind: its settings, its name, and its TLS (built from its bundle when the server was
 * made, so that a bad bundle fails while the application starts).
 * @param listener the user's settings
 * @param name the name in logs
 * @param tls its TLS, or {@code null} for clear text
 */
record ListenerSetup(HybridListener listener, String name, ServerTls tls) {
}

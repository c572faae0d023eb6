package io.hybridserver.transport;

/**
 * The transports a user may ask for with {@code server.hybrid.transport}.
 */
public enum TransportKind {

	/** epoll on Linux, kqueue on macOS and the BSDs, NIO elsewhere. */
	AUTO,

	/** Linux epoll (edge-triggered, native). */
	EPOLL,

	/** Linux io_uring (kernel 5.14+, native). */
	IO_URING,

	/** kqueue on macOS and the BSDs (native). */
	KQUEUE,

	/** The JDK's NIO selector: works everywhere, slowest. */
	NIO

}

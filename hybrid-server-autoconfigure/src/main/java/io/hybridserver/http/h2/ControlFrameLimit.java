package io.hybridserver.http.h2;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * Bounds the PING, SETTINGS and PRIORITY frames one client sends per second on a connection. Netty's codec answers each
 * PING and SETTINGS and only limits the answers a client leaves unread; a client that reads them can keep the loop busy
 * without end (the "ping flood" and "settings flood" of CVE-2019-9512 and CVE-2019-9515). One frame over the limit in
 * a one-second window is a connection error ENHANCE_YOUR_CALM: GOAWAY, then close. Loop-confined.
 */
final class ControlFrameLimit {

	private static final long WINDOW_NANOS = 1_000_000_000L;

	private final int maxPerSecond;

	private long windowStart = System.nanoTime();

	private int count;

	ControlFrameLimit(int maxPerSecond) {
		this.maxPerSecond = maxPerSecond;
	}

	/** Counts one control frame; throws the connection error once the window holds more than the limit. */
	void count() throws Http2Exception {
		long now = System.nanoTime();
		if (now - this.windowStart >= WINDOW_NANOS) {
			this.windowStart = now;
			this.count = 0;
		}
		if (++this.count > this.maxPerSecond) {
			throw Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM,
					"More than %d PING, SETTINGS and PRIORITY frames in one second", this.maxPerSecond);
		}
	}

}

package io.hybridserver.http.h2;

import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;

import io.hybridserver.http.HttpServerStats;

/**
 * Counts a connection's streams into {@link HttpServerStats} as the codec activates and closes them: every active
 * stream closes exactly once (ended, reset or with its connection), so the active count returns to zero.
 */
final class StreamCounts extends Http2ConnectionAdapter {

	private final HttpServerStats stats;

	StreamCounts(HttpServerStats stats) {
		this.stats = stats;
	}

	@Override
	public void onStreamActive(Http2Stream stream) {
		this.stats.streamOpened();
	}

	@Override
	public void onStreamClosed(Http2Stream stream) {
		this.stats.streamClosed();
	}

}

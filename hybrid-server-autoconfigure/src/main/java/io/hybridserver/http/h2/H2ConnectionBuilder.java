package io.hybridserver.http.h2;

import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Settings;

import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.LoopDispatch;
import io.hybridserver.http.ResponseRoute;

/**
 * Builds an {@link H2Connection} on Netty's codec with its protections left on (the limits on queued control frames,
 * consecutive empty DATA frames, RST_STREAM floods and small CONTINUATION frames), header validation on, and the
 * settings of {@link Http2Config}.
 */
final class H2ConnectionBuilder extends AbstractHttp2ConnectionHandlerBuilder<H2Connection, H2ConnectionBuilder> {

	private final HttpServerConfig config;

	private final HttpServerStats stats;

	private final LoopDispatch.PerLoop dispatchers;

	private final ResponseRoute route;

	private final boolean secure;

	private final Http2Config http2;

	H2ConnectionBuilder(Http2Settings settings, Http2Config http2, HttpServerConfig config, HttpServerStats stats,
			LoopDispatch.PerLoop dispatchers, ResponseRoute route, boolean secure) {
		this.http2 = http2;
		this.config = config;
		this.stats = stats;
		this.dispatchers = dispatchers;
		this.route = route;
		this.secure = secure;
		server(true);
		initialSettings(settings);
		validateHeaders(true);
		// Rapid reset (CVE-2023-44487) and MadeYouReset (CVE-2025-8671): Netty's counters, our configured bounds.
		decoderEnforceMaxRstFramesPerWindow(http2.getMaxResetsPerWindow(), http2.getResetWindowSeconds());
		encoderEnforceMaxRstFramesPerWindow(http2.getMaxResetsPerWindow(), http2.getResetWindowSeconds());
	}

	@Override
	public H2Connection build() {
		return super.build();
	}

	@Override
	protected H2Connection build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
			Http2Settings initialSettings) {
		H2Connection connection = new H2Connection(decoder, encoder, initialSettings, this.config, this.stats,
				this.dispatchers, this.route, this.secure, this.http2.getMaxControlFramesPerSecond());
		decoder.connection().addListener(new StreamCounts(this.stats));
		return connection;
	}

}

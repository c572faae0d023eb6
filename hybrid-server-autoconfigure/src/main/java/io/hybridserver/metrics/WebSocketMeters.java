package io.hybridserver.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.hybridserver.websocket.WebSocketStats;

/**
 * WebSocket sessions: {@code hybrid.server.websocket.sessions} open now, {@code hybrid.server.websocket.messages} and
 * {@code hybrid.server.websocket.bytes} (payload bytes) by {@code direction} ({@code in}, {@code out}), and
 * {@code hybrid.server.websocket.closes} by {@code code} (the defined codes and {@code other}, a bounded set).
 */
public final class WebSocketMeters implements MeterBinder {

	private final WebSocketStats stats;

	public WebSocketMeters(WebSocketStats stats) {
		this.stats = stats;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		String prefix = HybridServerMeters.PREFIX + "websocket.";
		Gauge.builder(prefix + "sessions", this.stats, WebSocketStats::sessions)
			.description("WebSocket sessions open now")
			.strongReference(true)
			.register(registry);
		FunctionCounter.builder(prefix + "messages", this.stats, WebSocketStats::messagesIn)
			.description("WebSocket messages, by direction")
			.tag("direction", "in")
			.register(registry);
		FunctionCounter.builder(prefix + "messages", this.stats, WebSocketStats::messagesOut)
			.description("WebSocket messages, by direction")
			.tag("direction", "out")
			.register(registry);
		FunctionCounter.builder(prefix + "bytes", this.stats, WebSocketStats::bytesIn)
			.description("WebSocket message payload bytes, by direction")
			.baseUnit("bytes")
			.tag("direction", "in")
			.register(registry);
		FunctionCounter.builder(prefix + "bytes", this.stats, WebSocketStats::bytesOut)
			.description("WebSocket message payload bytes, by direction")
			.baseUnit("bytes")
			.tag("direction", "out")
			.register(registry);
		for (String code : WebSocketStats.CODES) {
			registerCloses(registry, prefix, code);
		}
		registerCloses(registry, prefix, WebSocketStats.OTHER);
	}

	private void registerCloses(MeterRegistry registry, String prefix, String code) {
		FunctionCounter.builder(prefix + "closes", this.stats, (stats) -> stats.closes(code))
			.description("WebSocket sessions closed, by close code (1006: without a close handshake)")
			.tag("code", code)
			.register(registry);
	}

}

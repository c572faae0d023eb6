package io.hybridserver.reactive.websocket;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.hybridserver.websocket.WebSocketConnection;
import io.hybridserver.websocket.WebSocketListener;
import io.hybridserver.websocket.WebSocketSettings;
import io.hybridserver.websocket.WebSocketStats;
import io.hybridserver.websocket.WebSocketUpgrade;
import io.hybridserver.websocket.WebSocketWorkers;

/**
 * The WebSocket side of one reactive hybrid server: its limits ({@code server.hybrid.websocket.*}), what its
 * connections count for the metrics, where the sessions' handlers run, and the sessions open now, bounded by
 * {@link WebSocketSettings#maxSessions()}.
 */
public final class ReactiveWebSocketSessions {

	private final WebSocketSettings settings;

	private final WebSocketStats stats;

	private final WebSocketWorkers workers;

	private final AtomicInteger count = new AtomicInteger();

	private final Set<WebSocketConnection> open = ConcurrentHashMap.newKeySet();

	/**
	 * @param workers where the sessions' handlers run and their signals are delivered
	 *     ({@code server.hybrid.reactive.websocket-dispatch}): the server's workers ({@code new WebSocketWorkers(handOff)}:
	 *     each session's events batched per run, the sessions an event loop hands over in one pass woken for once,
	 *     after it); or, on the event loop, {@code WebSocketWorkers.of(Runnable::run)}: a connection raises its events
	 *     on its own loop, and its writes complete there, so they run inline with no hand-off
	 */
	public ReactiveWebSocketSessions(WebSocketSettings settings, WebSocketStats stats, WebSocketWorkers workers) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.stats = Objects.requireNonNull(stats, "stats");
		this.workers = Objects.requireNonNull(workers, "workers");
	}

	public WebSocketSettings settings() {
		return this.settings;
	}

	public WebSocketStats stats() {
		return this.stats;
	}

	/**
	 * The switch of one accepted handshake to a WebSocket connection whose events go to {@code listener} on this
	 * server's session threads, with the server's message limit; its end gives the session's place back.
	 */
	WebSocketUpgrade newUpgrade(WebSocketListener listener) {
		return new WebSocketUpgrade(this.settings, this.stats, listener, this.workers, this::release)
			.withMessageLimit(this.settings.maxMessageSize());
	}

	/** Takes a place for a new session, unless the limit is reached. */
	boolean reserve() {
		int max = this.settings.maxSessions();
		while (true) {
			int now = this.count.get();
			if (max > 0 && now >= max) {
				return false;
			}
			if (this.count.compareAndSet(now, now + 1)) {
				return true;
			}
		}
	}

	void release() {
		this.count.decrementAndGet();
	}

	void opened(WebSocketConnection connection) {
		this.open.add(connection);
	}

	void closed(WebSocketConnection connection) {
		this.open.remove(connection);
	}

	/** Sessions open now. */
	public int sessionCount() {
		return this.count.get();
	}

	/** The server stops: every open session is closed with 1001 (going away). */
	public void goAway() {
		for (WebSocketConnection connection : this.open) {
			connection.goAway();
		}
	}

}

package io.hybridserver.http.h2;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP/2 settings the server announces and enforces ({@code server.hybrid.http2.*}), and whether HTTP/2 is on at
 * all ({@code server.http2.enabled}). Defaults follow RFC 9113's initial values where it has them and Tomcat's where
 * it does not.
 */
public final class Http2Config {

	/** RFC 9113, 6.5.2: the largest flow-control window. */
	public static final int MAX_WINDOW_SIZE = Integer.MAX_VALUE;

	/** RFC 9113, 6.5.2: SETTINGS_MAX_FRAME_SIZE lies between 2^14 and 2^24-1. */
	public static final int MIN_FRAME_SIZE = 16_384;

	/** RFC 9113, 6.5.2. */
	public static final int MAX_FRAME_SIZE = 16_777_215;

	private boolean enabled;

	private int maxConcurrentStreams = 100;

	private int initialWindowSize = 65_535;

	private int maxFrameSize = MIN_FRAME_SIZE;

	private int maxHeaderListSize = 8 * 1024;

	private int maxControlFramesPerSecond = 1_000;

	private int maxResetsPerWindow = 200;

	private int resetWindowSeconds = 30;

	/** Whether connections may speak HTTP/2 (h2 by ALPN, h2c by prior knowledge). */
	public boolean isEnabled() {
		return this.enabled;
	}

	public Http2Config setEnabled(boolean enabled) {
		this.enabled = enabled;
		return this;
	}

	/** Streams one client may have open at once on a connection (SETTINGS_MAX_CONCURRENT_STREAMS). */
	public int getMaxConcurrentStreams() {
		return this.maxConcurrentStreams;
	}

	public Http2Config setMaxConcurrentStreams(int maxConcurrentStreams) {
		this.maxConcurrentStreams = maxConcurrentStreams;
		return this;
	}

	/**
	 * Request body bytes a client may send on one stream before the application has read them
	 * (SETTINGS_INITIAL_WINDOW_SIZE): the per-stream bound on buffered request bodies.
	 */
	public int getInitialWindowSize() {
		return this.initialWindowSize;
	}

	public Http2Config setInitialWindowSize(int initialWindowSize) {
		this.initialWindowSize = initialWindowSize;
		return this;
	}

	/** The largest frame payload the server accepts (SETTINGS_MAX_FRAME_SIZE). */
	public int getMaxFrameSize() {
		return this.maxFrameSize;
	}

	public Http2Config setMaxFrameSize(int maxFrameSize) {
		this.maxFrameSize = maxFrameSize;
		return this;
	}

	/** The largest request header list, uncompressed, as RFC 9113 counts it (SETTINGS_MAX_HEADER_LIST_SIZE). */
	public int getMaxHeaderListSize() {
		return this.maxHeaderListSize;
	}

	public Http2Config setMaxHeaderListSize(int maxHeaderListSize) {
		this.maxHeaderListSize = maxHeaderListSize;
		return this;
	}

	/**
	 * PING, SETTINGS and PRIORITY frames a client may send per second on one connection; one more is a flood
	 * (GOAWAY with ENHANCE_YOUR_CALM). Netty answers each without limit as long as the client reads the answers.
	 */
	public int getMaxControlFramesPerSecond() {
		return this.maxControlFramesPerSecond;
	}

	public Http2Config setMaxControlFramesPerSecond(int maxControlFramesPerSecond) {
		this.maxControlFramesPerSecond = maxControlFramesPerSecond;
		return this;
	}

	/**
	 * RST_STREAM frames a client may send, and the server may be made to send, per {@link #getResetWindowSeconds()}
	 * on one connection before it is a flood (rapid reset, CVE-2023-44487; MadeYouReset, CVE-2025-8671): Netty's
	 * limit, configured here.
	 */
	public int getMaxResetsPerWindow() {
		return this.maxResetsPerWindow;
	}

	public Http2Config setMaxResetsPerWindow(int maxResetsPerWindow) {
		this.maxResetsPerWindow = maxResetsPerWindow;
		return this;
	}

	/** The window, in seconds, of {@link #getMaxResetsPerWindow()}. */
	public int getResetWindowSeconds() {
		return this.resetWindowSeconds;
	}

	public Http2Config setResetWindowSeconds(int resetWindowSeconds) {
		this.resetWindowSeconds = resetWindowSeconds;
		return this;
	}

	/**
	 * Every setting by its name (the getter's, without get/is): what the Actuator endpoint shows, kept beside the
	 * fields so that a new setting cannot be missing there (a test compares the keys with the getters).
	 */
	public Map<String, Object> describe() {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("enabled", this.enabled);
		settings.put("maxConcurrentStreams", this.maxConcurrentStreams);
		settings.put("initialWindowSize", this.initialWindowSize);
		settings.put("maxFrameSize", this.maxFrameSize);
		settings.put("maxHeaderListSize", this.maxHeaderListSize);
		settings.put("maxControlFramesPerSecond", this.maxControlFramesPerSecond);
		settings.put("maxResetsPerWindow", this.maxResetsPerWindow);
		settings.put("resetWindowSeconds", this.resetWindowSeconds);
		return Collections.unmodifiableMap(settings);
	}

	/**
	 * The first setting out of range, as a sentence naming its property and what to change, or {@code null} when all
	 * are valid.
	 */
	public String problem() {
		if (this.maxConcurrentStreams < 1) {
			return "server.hybrid.http2.max-concurrent-streams must be at least 1, was " + this.maxConcurrentStreams;
		}
		if (this.initialWindowSize < 1) {
			return "server.hybrid.http2.initial-window-size must be between 1 and " + MAX_WINDOW_SIZE + ", was "
					+ this.initialWindowSize;
		}
		if (this.maxFrameSize < MIN_FRAME_SIZE || this.maxFrameSize > MAX_FRAME_SIZE) {
			return "server.hybrid.http2.max-frame-size must be between " + MIN_FRAME_SIZE + " and " + MAX_FRAME_SIZE
					+ " (RFC 9113, 6.5.2), was " + this.maxFrameSize;
		}
		if (this.maxHeaderListSize < 1024) {
			return "server.hybrid.http2.max-header-list-size must be at least 1024 bytes, was "
					+ this.maxHeaderListSize;
		}
		if (this.maxControlFramesPerSecond < 10) {
			return "server.hybrid.http2.max-control-frames-per-second must be at least 10, was "
					+ this.maxControlFramesPerSecond;
		}
		if (this.maxResetsPerWindow < 1) {
			return "server.hybrid.http2.max-resets-per-window must be at least 1, was " + this.maxResetsPerWindow;
		}
		if (this.resetWindowSeconds < 1) {
			return "server.hybrid.http2.reset-window must be at least 1 second, was " + this.resetWindowSeconds
					+ " seconds";
		}
		return null;
	}

}

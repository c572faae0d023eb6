package io.hybridserver.websocket;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the WebSocket connections of one server did, for the metrics: sessions open now, messages and payload bytes
 * each way, and closes by status code. The codes are a fixed set (those RFC 6455 and the IANA registry define, plus
 * {@code other}) so that a client choosing codes cannot grow the number of meters.
 */
public final class WebSocketStats {

	/** The close codes counted one by one; any other is counted as {@link #OTHER}. */
	public static final List<String> CODES = List.of("1000", "1001", "1002", "1003", "1005", "1006", "1007", "1008",
			"1009", "1010", "1011", "1012", "1013", "1014", "1015");

	public static final String OTHER = "other";

	private final AtomicInteger sessions = new AtomicInteger();

	private final LongAdder messagesIn = new LongAdder();

	private final LongAdder messagesOut = new LongAdder();

	private final LongAdder bytesIn = new LongAdder();

	private final LongAdder bytesOut = new LongAdder();

	private final Map<String, LongAdder> closes = java.util.stream.Stream.concat(CODES.stream(), java.util.stream.Stream.of(OTHER))
		.collect(Collectors.toUnmodifiableMap(Function.identity(), (code) -> new LongAdder()));

	void opened() {
		this.sessions.incrementAndGet();
	}

	void closed(int code) {
		this.sessions.decrementAndGet();
		LongAdder counter = this.closes.get(Integer.toString(code));
		(counter != null ? counter : this.closes.get(OTHER)).increment();
	}

	void received(int bytes, boolean messageEnds) {
		this.bytesIn.add(bytes);
		if (messageEnds) {
			this.messagesIn.increment();
		}
	}

	void sent(int bytes, boolean messageEnds) {
		this.bytesOut.add(bytes);
		if (messageEnds) {
			this.messagesOut.increment();
		}
	}

	public int sessions() {
		return this.sessions.get();
	}

	public long messagesIn() {
		return this.messagesIn.sum();
	}

	public long messagesOut() {
		return this.messagesOut.sum();
	}

	public long bytesIn() {
		return this.bytesIn.sum();
	}

	public long bytesOut() {
		return this.bytesOut.sum();
	}

	/** Closes with {@code code} (one of {@link #CODES} or {@link #OTHER}). */
	public long closes(String code) {
		LongAdder counter = this.closes.get(code);
		return (counter != null) ? counter.sum() : 0;
	}

}

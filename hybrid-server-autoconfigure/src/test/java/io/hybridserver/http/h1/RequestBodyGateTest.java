package io.hybridserver.http.h1;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import io.hybridserver.http.Exchange;
import io.hybridserver.http.ExchangeDispatcher;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body gate in memory: the connection's pipeline on an {@link EmbeddedChannel}, each request split at every byte
 * boundary. A request is handed to the dispatcher only once its body has arrived, or once the body buffer's worth of
 * it has; one with {@code Expect: 100-continue} at once.
 */
class RequestBodyGateTest {

	/** What the dispatcher saw: each exchange with the body bytes it could read at that moment. */
	private record Dispatched(Exchange exchange, int available) {
	}

	private final List<Dispatched> dispatched = new ArrayList<>();

	private EmbeddedChannel channel(int bodyBufferSize) {
		HttpServerConfig config = new HttpServerConfig().setRequestBodyBufferSize(bodyBufferSize);
		ExchangeDispatcher dispatcher = (exchange) -> this.dispatched
			.add(new Dispatched(exchange, exchange.requestBody().available()));
		return new EmbeddedChannel(new Http1PipelineInitializer(config, new HttpServerStats(), dispatcher,
				(loop) -> (task) -> {
				}, null));
	}

	private void splitAtEveryByte(String request, int bodyBufferSize, int dispatchedOnceReceived) {
		byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
		for (int split = 1; split < bytes.length; split++) {
			this.dispatched.clear();
			EmbeddedChannel channel = channel(bodyBufferSize);
			try {
				channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
				assertThat(this.dispatched).as("dispatched after %d of %d bytes", split, bytes.length)
					.hasSize((split >= dispatchedOnceReceived) ? 1 : 0);
				channel.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
				assertThat(this.dispatched).as("dispatched after all bytes, split at %d", split).hasSize(1);
			}
			finally {
				channel.finishAndReleaseAll();
			}
		}
	}

	@Test
	void aSmallBodyIsDispatchedOnlyWhenItHasAllArrived() {
		String request = "POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789";
		splitAtEveryByte(request, 64 * 1024, request.length());
	}

	@Test
	void aChunkedBodyIsDispatchedOnlyWhenItHasAllArrived() {
		String request = "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
		splitAtEveryByte(request, 64 * 1024, request.length());
	}

	@Test
	void aLargeBodyIsDispatchedOnceItsBufferIsFull() {
		String head = "POST /large HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n";
		String request = head + "a".repeat(40);
		splitAtEveryByte(request, 16, head.length() + 16);
		for (Dispatched one : this.dispatched) {
			assertThat(one.available()).isGreaterThanOrEqualTo(16);
		}
	}

	@Test
	void aRequestWithoutBodyIsDispatchedWithItsHead() {
		String request = "GET /none HTTP/1.1\r\nHost: x\r\n\r\n";
		splitAtEveryByte(request, 64 * 1024, request.length());
	}

	@Test
	void expectContinueIsDispatchedWithItsHeadForTheApplicationToInviteTheBody() {
		String head = "POST /invite HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n";
		splitAtEveryByte(head + "hello", 64 * 1024, head.length());
	}

}

package io.hybridserver.http.h1;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.http.ArrayHttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link Http1RequestDecoder} keeps from one request to the next on a connection: the previous target and field
 * values, given again (the same strings) when a line repeats byte for byte, and never when it differs.
 */
class Http1RequestDecoderRepeatTest {

	private final EmbeddedChannel channel = new EmbeddedChannel(new Http1RequestDecoder(8192, 8192, 8192));

	@AfterEach
	void close() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void aRepeatedTargetAndRepeatedFieldsAreTheSameStrings() {
		HttpRequest first = decode("GET /json HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\nX-Own: v\r\n\r\n");
		HttpRequest second = decode("GET /json HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\nX-Own: v\r\n\r\n");
		assertThat(second.uri()).isSameAs(first.uri());
		assertThat(((ArrayHttpHeaders) second.headers()).nameAt(2))
			.isSameAs(((ArrayHttpHeaders) first.headers()).nameAt(2));
		assertThat(second.headers().get("x-own")).isSameAs(first.headers().get("X-OWN"));
		assertThat(second.headers().get("Host")).isSameAs(first.headers().get("Host"));
		assertThat(second.headers().get("Accept")).isSameAs(first.headers().get("Accept"));
		assertThat(second.headers()).isInstanceOf(ArrayHttpHeaders.class).isNotSameAs(first.headers());
	}

	@Test
	void aChangedTargetOrValueIsNewAndRightWhateverItsLength() {
		HttpRequest first = decode("GET /json HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\nX-Id: 1\r\n\r\n");
		HttpRequest second = decode("GET /jsoN HTTP/1.1\r\nHost: localhost:8081\r\nAccept: */*\r\nX-Id: 12\r\n\r\n");
		assertThat(second.uri()).isEqualTo("/jsoN");
		assertThat(second.headers().get("Host")).isEqualTo("localhost:8081");
		assertThat(second.headers().get("Accept")).isSameAs(first.headers().get("Accept"));
		assertThat(second.headers().get("X-Id")).isEqualTo("12");
		HttpRequest third = decode("GET /jsoN HTTP/1.1\r\nAccept: */*\r\nHost: localhost:8081\r\n\r\n");
		// Another order: the same values by content, whether or not they are the same strings.
		assertThat(third.headers().get("Host")).isEqualTo("localhost:8081");
		assertThat(third.headers().get("Accept")).isEqualTo("*/*");
		assertThat(third.headers().get("X-Id")).isNull();
		assertThat(third.headers().size()).isEqualTo(2);
	}

	@Test
	void aFieldWhoseNameChangedCaseIsNotTakenForTheOld() {
		decode("GET / HTTP/1.1\r\nHost: x\r\nX-Custom-Name: a\r\n\r\n");
		HttpRequest second = decode("GET / HTTP/1.1\r\nHost: x\r\nx-custom-name: a\r\n\r\n");
		assertThat(second.headers().names()).containsExactly("Host", "x-custom-name");
	}

	@Test
	void aValueWithObsTextIsComparedByItsBytes() {
		decode("GET / HTTP/1.1\r\nHost: x\r\nX-A: caf\u00e9\r\n\r\n");
		HttpRequest second = decode("GET / HTTP/1.1\r\nHost: x\r\nX-A: caf\u00e8\r\n\r\n");
		assertThat(second.headers().get("X-A")).isEqualTo("caf\u00e8");
	}

	private HttpRequest decode(String head) {
		this.channel.writeInbound(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.ISO_8859_1)));
		HttpRequest request = this.channel.readInbound();
		assertThat(request.decoderResult().isSuccess()).isTrue();
		Object last = this.channel.readInbound();
		assertThat(last).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
		return request;
	}

}

package io.hybridserver.http.h3;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retry tokens: one the server issued validates from the address it was issued to and gives back the original
 * connection id; a token from another address or port, a changed byte anywhere, a token of another server (another key)
 * or one cut short is refused and counted.
 */
class RetryTokenHandlerTest {

	private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40_000);

	private final RetryTokenHandler handler = new RetryTokenHandler();

	private final byte[] dcid = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

	private ByteBuf issue(RetryTokenHandler issuer) {
		ByteBuf token = Unpooled.buffer();
		assertThat(issuer.writeToken(token, Unpooled.wrappedBuffer(this.dcid), CLIENT)).isTrue();
		assertThat(token.readableBytes()).isLessThanOrEqualTo(issuer.maxTokenLength());
		return token;
	}

	@Test
	void issuedTokenValidatesAndPointsAtTheOriginalConnectionId() {
		ByteBuf token = issue(this.handler);
		try {
			int offset = this.handler.validateToken(token, CLIENT);
			assertThat(offset).isPositive();
			byte[] original = new byte[token.readableBytes() - offset];
			token.getBytes(token.readerIndex() + offset, original);
			assertThat(original).isEqualTo(this.dcid);
			assertThat(this.handler.issued()).isEqualTo(1);
			assertThat(this.handler.refused()).isZero();
		}
		finally {
			token.release();
		}
	}

	@Test
	void tokenFromAnotherAddressOrPortIsRefused() {
		ByteBuf token = issue(this.handler);
		try {
			assertThat(this.handler.validateToken(token, new InetSocketAddress("192.0.2.8", 40_000))).isEqualTo(-1);
			assertThat(this.handler.validateToken(token, new InetSocketAddress("192.0.2.7", 40_001))).isEqualTo(-1);
			assertThat(this.handler.refused()).isEqualTo(2);
		}
		finally {
			token.release();
		}
	}

	@Test
	void everyChangedByteIsRefused() {
		ByteBuf token = issue(this.handler);
		try {
			for (int i = 0; i < token.readableBytes(); i++) {
				ByteBuf forged = token.copy();
				try {
					forged.setByte(i, forged.getByte(i) ^ 0x01);
					assertThat(this.handler.validateToken(forged, CLIENT)).as("byte %d changed", i).isEqualTo(-1);
				}
				finally {
					forged.release();
				}
			}
		}
		finally {
			token.release();
		}
	}

	@Test
	void anotherServersTokenAndShortTokensAreRefused() {
		ByteBuf foreign = issue(new RetryTokenHandler());
		ByteBuf shortToken = Unpooled.wrappedBuffer(new byte[20]);
		try {
			assertThat(this.handler.validateToken(foreign, CLIENT)).isEqualTo(-1);
			assertThat(this.handler.validateToken(shortToken, CLIENT)).isEqualTo(-1);
		}
		finally {
			foreign.release();
			shortToken.release();
		}
	}

}

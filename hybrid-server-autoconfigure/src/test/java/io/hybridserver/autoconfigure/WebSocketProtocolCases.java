package io.hybridserver.autoconfigure;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawWebSocket;
import io.hybridserver.testsupport.RawWebSocket.Frame;

import static io.hybridserver.testsupport.RawWebSocket.BINARY;
import static io.hybridserver.testsupport.RawWebSocket.CLOSE;
import static io.hybridserver.testsupport.RawWebSocket.CONTINUATION;
import static io.hybridserver.testsupport.RawWebSocket.PING;
import static io.hybridserver.testsupport.RawWebSocket.PONG;
import static io.hybridserver.testsupport.RawWebSocket.TEXT;
import static io.hybridserver.testsupport.RawWebSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 6455 and RFC 7692 from the wire, with frames written by hand against an echoing endpoint: the opening
 * handshake and its refusals, masking, reserved bits and opcodes, fragmentation and control-frame rules, UTF-8
 * validation of text (also across fragments), per-message deflate, and the close handshake with its codes. The same
 * cases run against each application tier's WebSocket (see the subclasses): the servlet container's Jakarta endpoint
 * and WebFlux's {@code WebSocketHandler}, which share the loop side and must answer alike.
 */
abstract class WebSocketProtocolCases extends WebSocketEventsTest {

	@LocalServerPort
	int port;

	/** The echo endpoint's path (constant per subclass). */
	private final String echo = echoPath();

	/** The path of an endpoint that echoes text and binary messages whole. */
	abstract String echoPath();

	/** The prefix of the event the echo endpoint records when it hears of an error. */
	abstract String errorEvent();

	/** The event the echo endpoint records when it closes with {@code code}. */
	abstract String closedEvent(int code);

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** The server's close frame carries {@code code}, then the server ends the TCP connection. */
	static void assertClosedWith(RawWebSocket ws, int code) throws Exception {
		Frame close = ws.readClose();
		assertThat(close.closeCode()).as("close code").isEqualTo(code);
		assertThat(ws.isClosedByServer()).as("TCP connection closed by the server").isTrue();
	}

	// ---- the opening handshake (RFC 6455, 4.2)

	@Test
	void theHandshakeAnswers101WithTheAcceptKey() throws Exception {
		try (RawHttpConnection http = new RawHttpConnection(this.port)) {
			http.send("GET " + this.echo + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
			RawHttpConnection.Response response = http.readHead();
			assertThat(response.status()).isEqualTo(101);
			// The example of RFC 6455, 1.3.
			assertThat(response.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
			assertThat(response.header("Upgrade")).isEqualToIgnoringCase("websocket");
			assertThat(response.header("Connection")).isEqualToIgnoringCase("upgrade");
		}
	}

	@Test
	void anotherVersionIsRefusedWith426NamingVersion13() throws Exception {
		try (RawHttpConnection http = new RawHttpConnection(this.port)) {
			http.send(RawWebSocket.upgradeRequest(this.echo).replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"));
			RawHttpConnection.Response response = http.readResponse();
			assertThat(response.status()).isEqualTo(426);
			assertThat(response.header("Sec-WebSocket-Version")).isEqualTo("13");
		}
	}

	@Test
	void aMalformedKeyIsRefusedWith400() throws Exception {
		try (RawHttpConnection http = new RawHttpConnection(this.port)) {
			http.send(RawWebSocket.upgradeRequest(this.echo).replaceFirst("Sec-WebSocket-Key: [^\r]*", "Sec-WebSocket-Key: short"));
			assertThat(http.readResponse().status()).isEqualTo(400);
		}
	}

	@Test
	void framesSentWithTheHandshakeAreNotLost() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo, frame(TEXT, utf8("early")))) {
			Frame echo = ws.read();
			assertThat(echo.opcode()).isEqualTo(TEXT);
			assertThat(echo.text()).isEqualTo("early");
		}
	}

	@Test
	void aRequestPipelinedAfterARefusedUpgradeIsAnsweredAsHttp() throws Exception {
		try (RawHttpConnection http = new RawHttpConnection(this.port)) {
			http.send(RawWebSocket.upgradeRequest("/plain") + "GET /plain HTTP/1.1\r\nHost: x\r\n\r\n");
			RawHttpConnection.Response first = http.readResponse();
			assertThat(first.status()).isEqualTo(200);
			assertThat(first.bodyText()).isEqualTo("plain");
			RawHttpConnection.Response second = http.readResponse();
			assertThat(second.status()).isEqualTo(200);
			assertThat(second.bodyText()).isEqualTo("plain");
		}
	}

	// ---- data frames and fragmentation (RFC 6455, 5.4 and 5.6)

	@Test
	void fragmentedMessagesWithAPingBetweenAreEchoedWhole() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(false, 0, TEXT, utf8("frag"), true));
			ws.send(frame(PING, utf8("in between")));
			ws.send(frame(false, 0, CONTINUATION, utf8("men"), true));
			ws.send(frame(true, 0, CONTINUATION, utf8("ted"), true));
			Frame pong = ws.read();
			assertThat(pong.opcode()).isEqualTo(PONG);
			assertThat(pong.text()).isEqualTo("in between");
			Frame echo = ws.read();
			assertThat(echo.opcode()).isEqualTo(TEXT);
			assertThat(echo.text()).isEqualTo("fragmented");
			ws.send(frame(false, 0, BINARY, new byte[] { 1 }, true));
			ws.send(frame(true, 0, CONTINUATION, new byte[] { 2, 3 }, true));
			Frame binary = ws.read();
			assertThat(binary.opcode()).isEqualTo(BINARY);
			assertThat(binary.payload()).containsExactly(1, 2, 3);
		}
	}

	@Test
	void aPingIsAnsweredWithAPongOfTheSamePayload() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			byte[] payload = new byte[125];
			payload[0] = 7;
			ws.send(frame(PING, payload));
			Frame pong = ws.read();
			assertThat(pong.opcode()).isEqualTo(PONG);
			assertThat(pong.payload()).isEqualTo(payload);
		}
	}

	@Test
	void anUnmaskedClientFrameIsAProtocolError() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(true, 0, TEXT, utf8("bare"), false));
			assertClosedWith(ws, 1002);
		}
		awaitEvent(errorEvent());
		awaitEvent(closedEvent(1002));
	}

	@Test
	void reservedBitsWithoutAnExtensionAreAProtocolError() throws Exception {
		for (int rsv = 1; rsv <= 7; rsv++) {
			try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
				ws.send(frame(true, rsv, TEXT, utf8("x"), true));
				assertClosedWith(ws, 1002);
			}
		}
	}

	@Test
	void reservedOpcodesAreAProtocolError() throws Exception {
		for (int opcode : new int[] { 3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF }) {
			try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
				ws.send(frame(true, 0, opcode, utf8("x"), true));
				assertClosedWith(ws, 1002);
			}
		}
	}

	@Test
	void aControlFrameOver125BytesIsAProtocolError() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(PING, new byte[126]));
			assertClosedWith(ws, 1002);
		}
	}

	@Test
	void aFragmentedControlFrameIsAProtocolError() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(false, 0, PING, utf8("half"), true));
			assertClosedWith(ws, 1002);
		}
	}

	@Test
	void aContinuationWithoutAStartIsAProtocolError() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(true, 0, CONTINUATION, utf8("orphan"), true));
			assertClosedWith(ws, 1002);
		}
	}

	@Test
	void aNewMessageInsideAFragmentedOneIsAProtocolError() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(false, 0, TEXT, utf8("one"), true));
			ws.send(frame(true, 0, TEXT, utf8("two"), true));
			assertClosedWith(ws, 1002);
		}
	}

	// ---- UTF-8 (RFC 6455, 8.1)

	@Test
	void invalidUtf8InATextMessageIs1007() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(TEXT, new byte[] { 'a', (byte) 0xC3, 0x28 }));
			assertClosedWith(ws, 1007);
		}
	}

	@Test
	void aCodePointSplitBetweenFramesIsValid() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(false, 0, TEXT, new byte[] { 'a', (byte) 0xE2 }, true));
			ws.send(frame(false, 0, CONTINUATION, new byte[] { (byte) 0x82 }, true));
			ws.send(frame(true, 0, CONTINUATION, new byte[] { (byte) 0xAC, 'b' }, true));
			assertThat(ws.read().text()).isEqualTo("a€b");
		}
	}

	@Test
	void anInvalidSequenceAcrossFramesIs1007() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(false, 0, TEXT, new byte[] { (byte) 0xE2, (byte) 0x82 }, true));
			ws.send(frame(true, 0, CONTINUATION, new byte[] { 0x28 }, true));
			assertClosedWith(ws, 1007);
		}
	}

	@Test
	void aMessageEndingInTheMiddleOfACodePointIs1007() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(TEXT, new byte[] { 'a', (byte) 0xE2, (byte) 0x82 }));
			assertClosedWith(ws, 1007);
		}
	}

	// ---- limits

	private static final byte[] NINE_MIB = filled(9 * 1024 * 1024);

	private static byte[] filled(int size) {
		byte[] bytes = new byte[size];
		java.util.Arrays.fill(bytes, (byte) 'a');
		return bytes;
	}

	/**
	 * Sends {@code frames} from another thread: the server may refuse the message and close while the client is still
	 * writing, and then the write fails; what counts is the close frame the client reads.
	 */
	private static java.util.concurrent.CompletableFuture<Void> sendAside(RawWebSocket ws, byte[]... frames) {
		return java.util.concurrent.CompletableFuture.runAsync(() -> {
			try {
				for (byte[] frame : frames) {
					ws.send(frame);
				}
			}
			catch (java.io.IOException ex) {
				// The server closed first, as it may once it has seen enough.
			}
		});
	}

	@Test
	void aMessageOverTheLimitInFramesUnderItIs1009() throws Exception {
		// Each frame is under the frame limit (17 MiB) and the message limit; the two together are over the latter.
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			// Unmasking 9 MiB under paranoid leak detection (every buffer access recorded) takes seconds here.
			ws.connection().socket().setSoTimeout(90_000);
			sendAside(ws, frame(false, 0, TEXT, NINE_MIB, true), frame(true, 0, CONTINUATION, NINE_MIB, true));
			assertThat(ws.readClose().closeCode()).as("close code").isEqualTo(1009);
			assertThat(ws.isClosedByServer()).isTrue();
		}
		awaitEvent(closedEvent(1009));
	}

	@Test
	void aCompressedMessageIsLimitedByTheSizeItInflatesTo() throws Exception {
		// Two frames of a few KiB on the wire that inflate to 9 MiB each.
		java.util.zip.Deflater deflater = new java.util.zip.Deflater(6, true);
		byte[] first = RawWebSocket.deflateFlushed(deflater, NINE_MIB);
		byte[] second = RawWebSocket.deflateFlushed(deflater, NINE_MIB);
		deflater.end();
		second = java.util.Arrays.copyOf(second, second.length - 4);
		try (RawWebSocket ws = RawWebSocket.openWith(this.port, this.echo,
				"Sec-WebSocket-Extensions: permessage-deflate")) {
			ws.send(frame(false, 4, TEXT, first, true));
			ws.send(frame(true, 0, CONTINUATION, second, true));
			assertClosedWith(ws, 1009);
		}
		awaitEvent(closedEvent(1009));
	}

	// ---- per-message deflate (RFC 7692)

	private static byte[] deflate(byte[] data) {
		java.util.zip.Deflater deflater = new java.util.zip.Deflater(6, true);
		deflater.setInput(data);
		byte[] out = new byte[data.length + 64];
		int length = deflater.deflate(out, 0, out.length, java.util.zip.Deflater.SYNC_FLUSH);
		deflater.end();
		// RFC 7692, 7.2.1: the sender removes the 00 00 FF FF that ends a sync flush.
		return java.util.Arrays.copyOf(out, length - 4);
	}

	private static byte[] inflate(byte[] data) throws Exception {
		java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
		byte[] input = java.util.Arrays.copyOf(data, data.length + 4);
		input[data.length + 2] = (byte) 0xFF;
		input[data.length + 3] = (byte) 0xFF;
		inflater.setInput(input);
		byte[] out = new byte[65536];
		int length = inflater.inflate(out);
		inflater.end();
		return java.util.Arrays.copyOf(out, length);
	}

	@Test
	void perMessageDeflateIsNegotiatedAndMessagesGoBothWaysCompressed() throws Exception {
		try (RawWebSocket ws = RawWebSocket.openWith(this.port, this.echo,
				"Sec-WebSocket-Extensions: x-unknown, permessage-deflate; client_max_window_bits")) {
			assertThat(ws.handshake().header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
			String text = "compress me, compress me, compress me, compress me";
			// RSV1 (0x4 in the three reserved bits) marks a compressed message.
			ws.send(frame(true, 4, TEXT, deflate(utf8(text)), true));
			Frame echo = ws.read();
			assertThat(echo.opcode()).isEqualTo(TEXT);
			assertThat(echo.rsv()).as("the echo is compressed too").isEqualTo(4);
			assertThat(new String(inflate(echo.payload()), StandardCharsets.UTF_8)).isEqualTo(text);
			ws.sendText("plain");
			assertThat(new String(inflate(ws.read().payload()), StandardCharsets.UTF_8)).isEqualTo("plain");
		}
	}

	@Test
	void withDeflateTheOtherReservedBitsAreStillAProtocolError() throws Exception {
		try (RawWebSocket ws = RawWebSocket.openWith(this.port, this.echo, "Sec-WebSocket-Extensions: permessage-deflate")) {
			ws.send(frame(true, 2, TEXT, utf8("x"), true));
			assertClosedWith(ws, 1002);
		}
	}

	@Test
	void withoutAnOfferNothingIsNegotiated() throws Exception {
		try (RawWebSocket ws = RawWebSocket.openWith(this.port, this.echo)) {
			assertThat(ws.handshake().header("Sec-WebSocket-Extensions")).isNull();
		}
	}

	// ---- the close handshake (RFC 6455, 5.5.1 and 7.4)

	@Test
	void aCloseIsEchoedWithItsCodeAndTheServerEndsTheConnection() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(CLOSE, RawWebSocket.closePayload(1000, "bye")));
			assertClosedWith(ws, 1000);
		}
		awaitEvent(closedEvent(1000));
	}

	@Test
	void aCloseWithoutACodeIsAnsweredWithoutOneAndReportedAs1005() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(CLOSE, new byte[0]));
			Frame close = ws.readClose();
			assertThat(close.payload()).isEmpty();
			assertThat(ws.isClosedByServer()).isTrue();
		}
		awaitEvent(closedEvent(1005));
	}

	@Test
	void applicationCloseCodesAreEchoed() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(CLOSE, RawWebSocket.closePayload(4321, "")));
			assertClosedWith(ws, 4321);
		}
	}

	@Test
	void invalidCloseCodesAreAProtocolError() throws Exception {
		for (int code : new int[] { 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000 }) {
			try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
				ws.send(frame(CLOSE, RawWebSocket.closePayload(code, "")));
				assertThat(ws.readClose().closeCode()).as("answer to close code " + code).isEqualTo(1002);
			}
		}
	}

	@Test
	void aOneByteClosePayloadIsAProtocolError() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(CLOSE, new byte[] { 3 }));
			assertClosedWith(ws, 1002);
		}
	}

	@Test
	void aCloseReasonInInvalidUtf8IsRefused() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(CLOSE, new byte[] { 0x03, (byte) 0xE8, (byte) 0xC3, 0x28 }));
			assertThat(ws.readClose().closeCode()).isEqualTo(1007);
		}
	}

	@Test
	void nothingIsDeliveredAfterTheClientsClose() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, this.echo)) {
			ws.send(frame(CLOSE, RawWebSocket.closePayload(1000, "")));
			ws.sendText("after close");
			Frame close = ws.read();
			assertThat(close.opcode()).isEqualTo(CLOSE);
			assertThat(ws.isClosedByServer()).isTrue();
		}
	}

}

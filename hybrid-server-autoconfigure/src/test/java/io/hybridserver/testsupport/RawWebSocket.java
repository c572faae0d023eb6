package io.hybridserver.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client by hand over a raw socket, for frames no well-behaved client sends: unmasked, with reserved bits
 * or opcodes, fragmented control frames, broken UTF-8. Every byte is under the test's control.
 */
public final class RawWebSocket implements Closeable {

	public static final int CONTINUATION = 0x0;

	public static final int TEXT = 0x1;

	public static final int BINARY = 0x2;

	public static final int CLOSE = 0x8;

	public static final int PING = 0x9;

	public static final int PONG = 0xA;

	private final RawHttpConnection connection;

	private final DataInputStream in;

	/** A frame as received. */
	public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {

		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		/** The status code of a close frame, or -1 when it has none. */
		public int closeCode() {
			return (this.payload.length >= 2) ? ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF) : -1;
		}

	}

	private final RawHttpConnection.Response handshake;

	private RawWebSocket(RawHttpConnection connection, RawHttpConnection.Response handshake) {
		this.connection = connection;
		this.handshake = handshake;
		this.in = new DataInputStream(connection.input());
	}

	/** Connects with extra handshake headers ({@code Name: value}); fails unless the answer is a 101. */
	public static RawWebSocket openWith(int port, String path, String... headers) throws IOException {
		RawHttpConnection connection = new RawHttpConnection(port);
		connection.send(upgradeRequest(path, headers));
		RawHttpConnection.Response response = connection.readHead();
		if (response.status() != 101) {
			connection.close();
			throw new IOException("Expected 101, got " + response.status());
		}
		return new RawWebSocket(connection, response);
	}

	/**
	 * Connects and sends {@code preamble} (a PROXY protocol header) right before the handshake; fails unless the
	 * answer is a 101.
	 */
	public static RawWebSocket openAfter(int port, String preamble, String path) throws IOException {
		RawHttpConnection connection = new RawHttpConnection(port);
		connection.send(preamble + upgradeRequest(path));
		RawHttpConnection.Response response = connection.readHead();
		if (response.status() != 101) {
			connection.close();
			throw new IOException("Expected 101, got " + response.status());
		}
		return new RawWebSocket(connection, response);
	}

	/** The 101's head. */
	public RawHttpConnection.Response handshake() {
		return this.handshake;
	}

	/** The handshake's request for {@code path}, with a fresh key. */
	public static String upgradeRequest(String path, String... extraHeaders) {
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
				+ "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
				+ Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n");
		for (String header : extraHeaders) {
			request.append(header).append("\r\n");
		}
		return request.append("\r\n").toString();
	}

	/** Connects and completes the handshake; fails unless the answer is a 101. */
	public static RawWebSocket open(int port, String path) throws IOException {
		return open(port, path, new byte[0]);
	}

	/** Connects and sends the handshake with {@code thenSend} in the same write (pipelined frames). */
	public static RawWebSocket open(int port, String path, byte[] thenSend) throws IOException {
		RawHttpConnection connection = new RawHttpConnection(port);
		byte[] head = upgradeRequest(path).getBytes(StandardCharsets.ISO_8859_1);
		byte[] all = new byte[head.length + thenSend.length];
		System.arraycopy(head, 0, all, 0, head.length);
		System.arraycopy(thenSend, 0, all, head.length, thenSend.length);
		connection.send(all);
		RawHttpConnection.Response response = connection.readHead();
		if (response.status() != 101) {
			connection.close();
			throw new IOException("Expected 101, got " + response.status());
		}
		return new RawWebSocket(connection, response);
	}

	public RawHttpConnection connection() {
		return this.connection;
	}

	/**
	 * {@code data} compressed for a per-message-deflate frame (RFC 7692): deflated and flushed to a byte boundary, the
	 * deflater's context kept for what follows.
	 */
	public static byte[] deflateFlushed(java.util.zip.Deflater deflater, byte[] data) {
		deflater.setInput(data);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[65536];
		int length;
		do {
			length = deflater.deflate(buffer, 0, buffer.length, java.util.zip.Deflater.SYNC_FLUSH);
			out.write(buffer, 0, length);
		}
		while (length == buffer.length || !deflater.needsInput());
		return out.toByteArray();
	}

	/** A frame's bytes: masked with a random key unless {@code masked} is false. */
	public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0xF));
		int maskBit = masked ? 0x80 : 0;
		if (payload.length < 126) {
			out.write(maskBit | payload.length);
		}
		else if (payload.length < 65536) {
			out.write(maskBit | 126);
			out.write(payload.length >>> 8);
			out.write(payload.length & 0xFF);
		}
		else {
			out.write(maskBit | 127);
			long length = payload.length;
			for (int shift = 56; shift >= 0; shift -= 8) {
				out.write((int) (length >>> shift) & 0xFF);
			}
		}
		byte[] key = new byte[4];
		if (masked) {
			ThreadLocalRandom.current().nextBytes(key);
			out.write(key, 0, 4);
		}
		byte[] body = payload.clone();
		if (masked) {
			for (int i = 0; i < body.length; i++) {
				body[i] ^= key[i & 3];
			}
		}
		out.write(body, 0, body.length);
		return out.toByteArray();
	}

	public static byte[] frame(int opcode, byte[] payload) {
		return frame(true, 0, opcode, payload, true);
	}

	public static byte[] closePayload(int code, String reason) {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		byte[] payload = new byte[2 + text.length];
		payload[0] = (byte) (code >>> 8);
		payload[1] = (byte) code;
		System.arraycopy(text, 0, payload, 2, text.length);
		return payload;
	}

	public RawWebSocket send(byte[] bytes) throws IOException {
		this.connection.send(bytes);
		return this;
	}

	public RawWebSocket sendText(String text) throws IOException {
		return send(frame(TEXT, text.getBytes(StandardCharsets.UTF_8)));
	}

	/** Reads the next frame; throws on end of stream or the socket's read timeout. */
	public Frame read() throws IOException {
		int first = this.in.readUnsignedByte();
		int second = this.in.readUnsignedByte();
		if ((second & 0x80) != 0) {
			throw new IOException("The server masked a frame (RFC 6455, 5.1 forbids it)");
		}
		long length = second & 0x7F;
		if (length == 126) {
			length = this.in.readUnsignedShort();
		}
		else if (length == 127) {
			length = this.in.readLong();
		}
		byte[] payload = new byte[(int) length];
		this.in.readFully(payload);
		return new Frame((first & 0x80) != 0, (first >>> 4) & 0x7, first & 0xF, payload);
	}

	/** Reads frames until a close frame, skipping data frames the server sent before it. */
	public Frame readClose() throws IOException {
		while (true) {
			Frame frame = read();
			if (frame.opcode() == CLOSE) {
				return frame;
			}
		}
	}

	/** Whether the server has closed the TCP connection (end of stream now). */
	public boolean isClosedByServer() throws IOException {
		return this.connection.isClosedByServer();
	}

	@Override
	public void close() throws IOException {
		this.connection.close();
	}

}

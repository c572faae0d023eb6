package io.hybridserver.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain socket that speaks HTTP/1.1 by hand, for what a well-behaved client would never send: malformed heads,
 * pipelined floods, half-sent requests. Responses are parsed strictly enough to check framing (Content-Length or
 * chunked), so a framing bug in the server shows up as a wrong or stuck read here.
 */
public final class RawHttpConnection implements Closeable {

	/** The TCP socket, or {@code null} over a Unix domain socket. */
	private final Socket socket;

	private final java.io.Closeable channel;

	private final InputStream in;

	private final OutputStream out;

	public RawHttpConnection(int port) throws IOException {
		this(port, 10_000);
	}

	public RawHttpConnection(int port, int readTimeoutMillis) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.socket.setSoTimeout(readTimeoutMillis);
		this.socket.setTcpNoDelay(true);
		this.in = new java.io.BufferedInputStream(this.socket.getInputStream(), 65536);
		this.out = this.socket.getOutputStream();
		this.channel = this.socket;
	}

	private RawHttpConnection(java.nio.channels.SocketChannel unix) {
		this.socket = null;
		this.channel = unix;
		this.in = new java.io.BufferedInputStream(java.nio.channels.Channels.newInputStream(unix), 65536);
		this.out = java.nio.channels.Channels.newOutputStream(unix);
	}

	/**
	 * A connection to a Unix domain socket (no read timeout: the JDK's Unix channels have none, so a test must not wait
	 * for a response that may never come).
	 */
	public static RawHttpConnection unix(java.nio.file.Path path) throws IOException {
		java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel
			.open(java.net.StandardProtocolFamily.UNIX);
		channel.connect(java.net.UnixDomainSocketAddress.of(path));
		return new RawHttpConnection(channel);
	}

	public Socket socket() {
		return this.socket;
	}

	public RawHttpConnection send(String text) throws IOException {
		return send(text.getBytes(StandardCharsets.ISO_8859_1));
	}

	public RawHttpConnection send(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
		return this;
	}

	public OutputStream output() {
		return this.out;
	}

	public InputStream input() {
		return this.in;
	}

	/** Reads one complete response (an interim 1xx counts as one). */
	public Response readResponse() throws IOException {
		String statusLine = readLine();
		if (statusLine == null) {
			throw new java.io.EOFException("Connection closed before a response");
		}
		String[] parts = statusLine.split(" ", 3);
		int status = Integer.parseInt(parts[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		String line;
		while ((line = readLine()) != null && !line.isEmpty()) {
			int colon = line.indexOf(':');
			headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
					(a, b) -> a + ", " + b);
		}
		byte[] body = new byte[0];
		if (status >= 200 && status != 204 && status != 304) {
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				body = readChunked();
			}
			else if (headers.containsKey("content-length")) {
				body = this.in.readNBytes(Integer.parseInt(headers.get("content-length")));
			}
		}
		return new Response(status, headers, body);
	}

	/** Reads only a response head, leaving the body in the stream. */
	public Response readHead() throws IOException {
		String statusLine = readLine();
		if (statusLine == null) {
			throw new java.io.EOFException("Connection closed before a response");
		}
		int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		String line;
		while ((line = readLine()) != null && !line.isEmpty()) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
		}
		return new Response(status, headers, new byte[0]);
	}

	/** Whether the server has closed the connection (reads end of stream within the timeout). */
	public boolean isClosedByServer() throws IOException {
		try {
			return this.in.read() == -1;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (java.net.SocketException ex) {
			return true;
		}
	}

	private byte[] readChunked() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			String sizeLine = readLine();
			int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
			if (size == 0) {
				String trailer;
				while ((trailer = readLine()) != null && !trailer.isEmpty()) {
					// trailers ignored
				}
				return body.toByteArray();
			}
			body.write(this.in.readNBytes(size));
			readLine();
		}
	}

	private String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = this.in.read()) != -1) {
			if (b == '\n') {
				int length = line.length();
				if (length > 0 && line.charAt(length - 1) == '\r') {
					line.setLength(length - 1);
				}
				return line.toString();
			}
			line.append((char) b);
		}
		return (line.length() == 0) ? null : line.toString();
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

	/** A parsed response. */
	public record Response(int status, Map<String, String> headers, byte[] body) {

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		public String bodyText() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

}

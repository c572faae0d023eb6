package io.hybridserver.testsupport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/2 frames written by hand on a plain socket (or a TLS one, {@link #overTls}), for attacks no well-behaved client
 * sends: the preface, then any frame in any order, with no flow control or state of its own. A reader thread takes
 * everything the server sends and remembers its GOAWAY and RST_STREAM frames, when the connection closed, and whether
 * it closed cleanly or with a reset.
 */
public final class RawH2Connection implements AutoCloseable {

	public static final int DATA = 0x0;

	public static final int HEADERS = 0x1;

	public static final int PRIORITY = 0x2;

	public static final int RST_STREAM = 0x3;

	public static final int SETTINGS = 0x4;

	public static final int PING = 0x6;

	public static final int GOAWAY = 0x7;

	public static final int WINDOW_UPDATE = 0x8;

	public static final int CONTINUATION = 0x9;

	public static final int END_STREAM = 0x1;

	public static final int END_HEADERS = 0x4;

	/** A GET of {@code /} for {@code localhost}, HPACK-encoded from the static table and one literal. */
	public static final byte[] GET_HEADERS = hpackGet();

	private final Socket socket;

	private final OutputStream out;

	private final CountDownLatch closed = new CountDownLatch(1);

	private volatile int goAwayError = -1;

	private volatile int goAwayLastStreamId = -1;

	/** How reading ended: {@code null} while it goes on or after a clean end of stream, else the failure. */
	private volatile IOException readFailure;

	/** PING acknowledgements received: the server has read every frame sent before the PING. */
	public final java.util.concurrent.atomic.AtomicInteger pingAcks = new java.util.concurrent.atomic.AtomicInteger();

	/** Stream id of each HEADERS frame the server sent. */
	public final ConcurrentLinkedQueue<Integer> headers = new ConcurrentLinkedQueue<>();

	/** Stream id and error code of each RST_STREAM the server sent. */
	public final ConcurrentLinkedQueue<int[]> resets = new ConcurrentLinkedQueue<>();

	public RawH2Connection(int port) throws IOException {
		this(new Socket(InetAddress.getLoopbackAddress(), port));
	}

	/** Over TLS, with ALPN offering {@code h2} alone. */
	public static RawH2Connection overTls(int port, SSLContext context) throws IOException {
		SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
		SSLParameters parameters = socket.getSSLParameters();
		parameters.setApplicationProtocols(new String[] { "h2" });
		socket.setSSLParameters(parameters);
		socket.startHandshake();
		if (!"h2".equals(socket.getApplicationProtocol())) {
			socket.close();
			throw new IOException("The server did not choose h2 by ALPN: " + socket.getApplicationProtocol());
		}
		return new RawH2Connection(socket);
	}

	private RawH2Connection(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setTcpNoDelay(true);
		this.out = this.socket.getOutputStream();
		this.out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		frame(SETTINGS, 0, 0, new byte[0]);
		Thread reader = new Thread(this::read, "raw-h2-reader");
		reader.setDaemon(true);
		reader.start();
	}

	private static byte[] hpackGet() {
		byte[] authority = "localhost".getBytes(StandardCharsets.US_ASCII);
		byte[] block = new byte[5 + authority.length];
		block[0] = (byte) 0x82; // :method GET
		block[1] = (byte) 0x86; // :scheme http
		block[2] = (byte) 0x84; // :path /
		block[3] = (byte) 0x01; // literal without indexing, name :authority (static index 1)
		block[4] = (byte) authority.length;
		System.arraycopy(authority, 0, block, 5, authority.length);
		return block;
	}

	/** A GET of {@code path} for {@code localhost}, HPACK-encoded like {@link #GET_HEADERS} (path under 127 bytes). */
	public static byte[] hpackGet(String path) {
		byte[] target = path.getBytes(StandardCharsets.US_ASCII);
		byte[] block = new byte[4 + target.length + GET_HEADERS.length - 3];
		block[0] = (byte) 0x82; // :method GET
		block[1] = (byte) 0x86; // :scheme http
		block[2] = (byte) 0x04; // literal without indexing, name :path (static index 4)
		block[3] = (byte) target.length;
		System.arraycopy(target, 0, block, 4, target.length);
		System.arraycopy(GET_HEADERS, 3, block, 4 + target.length, GET_HEADERS.length - 3);
		return block;
	}

	/** Writes one frame; buffers nothing of its own. */
	public void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
		this.out.write(encode(type, flags, streamId, payload));
	}

	/** One frame's bytes, to batch many into one write. */
	public static byte[] encode(int type, int flags, int streamId, byte[] payload) {
		byte[] frame = new byte[9 + payload.length];
		frame[0] = (byte) (payload.length >>> 16);
		frame[1] = (byte) (payload.length >>> 8);
		frame[2] = (byte) payload.length;
		frame[3] = (byte) type;
		frame[4] = (byte) flags;
		frame[5] = (byte) ((streamId >>> 24) & 0x7f);
		frame[6] = (byte) (streamId >>> 16);
		frame[7] = (byte) (streamId >>> 8);
		frame[8] = (byte) streamId;
		System.arraycopy(payload, 0, frame, 9, payload.length);
		return frame;
	}

	public static byte[] int32(int value) {
		return new byte[] { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value };
	}

	public void write(byte[] bytes) throws IOException {
		this.out.write(bytes);
	}

	private void read() {
		// Not closed here: closing a socket's stream closes the socket, and a writer may go on sending after the
		// server's end of stream (a lingering close takes what it sends); close() closes the socket.
		try {
			DataInputStream in = new DataInputStream(this.socket.getInputStream());
			byte[] head = new byte[9];
			while (true) {
				in.readFully(head);
				int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
				int type = head[3] & 0xff;
				int streamId = ((head[5] & 0x7f) << 24) | ((head[6] & 0xff) << 16) | ((head[7] & 0xff) << 8)
						| (head[8] & 0xff);
				byte[] payload = new byte[length];
				in.readFully(payload);
				if (type == GOAWAY) {
					this.goAwayLastStreamId = readInt(payload, 0) & 0x7fffffff;
					this.goAwayError = readInt(payload, 4);
				}
				else if (type == PING && (head[4] & 0x1) != 0) {
					this.pingAcks.incrementAndGet();
				}
				else if (type == HEADERS) {
					this.headers.add(streamId);
				}
				else if (type == RST_STREAM) {
					this.resets.add(new int[] { streamId, readInt(payload, 0) });
				}
			}
		}
		catch (EOFException ex) {
			// The server closed its side after its last frame (FIN, or TLS close_notify).
		}
		catch (IOException ex) {
			// A reset, most often: whatever the server sent after what was read is lost.
			this.readFailure = ex;
		}
		finally {
			this.closed.countDown();
		}
	}

	private static int readInt(byte[] bytes, int offset) {
		return ((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16) | ((bytes[offset + 2] & 0xff) << 8)
				| (bytes[offset + 3] & 0xff);
	}

	/** Whether the server closed the connection within the timeout. */
	public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
		return this.closed.await(timeout, unit);
	}

	/**
	 * Whether the server's side ended cleanly (end of stream, or TLS close_notify) after its last frame, rather than
	 * with a reset or another read failure. Meaningful once {@link #awaitClosed} said so.
	 */
	public boolean endedCleanly() {
		return this.readFailure == null;
	}

	/** What ended reading, if it was not a clean end of stream; {@code null} otherwise. */
	public IOException readFailure() {
		return this.readFailure;
	}

	/** The error code of the server's GOAWAY, or -1 when none came. */
	public int goAwayError() {
		return this.goAwayError;
	}

	/** The last stream id of the server's GOAWAY, or -1 when none came. */
	public int goAwayLastStreamId() {
		return this.goAwayLastStreamId;
	}

	/** Closes with a TCP reset (SO_LINGER 0) instead of a FIN, as a crashed or impatient client does. */
	public void reset() throws IOException {
		this.socket.setSoLinger(true, 0);
		this.socket.close();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}

package io.hybridserver.servlet.spec;

import java.io.IOException;
import java.util.Arrays;

import io.hybridserver.http.RequestBody;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * The request's {@link ServletInputStream} over the exchange's streaming {@link RequestBody}.
 *
 * <p>In non-blocking mode ({@link #setReadListener}) {@link #isReady()} is {@code true} only when a read returns at
 * once (bytes are buffered, or the body has ended); when it answers {@code false} it asks the body to say when that
 * changes, and {@code onDataAvailable} then runs on a container thread, never on the I/O thread that received the
 * bytes. {@code onAllDataRead} follows once the application has read the end; a failed body reaches
 * {@code onError}.
 *
 * <p>Two things spare the application's framework a copy of the body (issue 20). {@link #readNBytes(int)} and
 * {@link #readAllBytes()} read straight into one array of the exact size when the request declared its length and
 * that much has arrived; the JDK's versions read into 8 KiB pieces and copy them into the result. And the stream
 * supports {@link #mark}: Spring MVC looks at the first byte of a {@code @RequestBody} to tell an empty body, by
 * {@code mark(1)}, {@code read()}, {@code reset()} on a stream that supports it and otherwise through a
 * {@code PushbackInputStream}, whose {@code readNBytes} is the JDK's. Marked bytes are kept (up to the read limit) to be
 * read again after {@link #reset}, as {@code BufferedInputStream} does.
 */
final class RequestInputStream extends ServletInputStream {

	private final RequestBody body;

	private final RequestFacade request;

	private final byte[] single = new byte[1];

	private volatile ReadListener listener;

	private boolean finished;

	private boolean allDataReadSignalled;

	/** A byte taken while probing a body that woke the listener without data; handed out first. */
	private int pushback = -1;

	/** Bytes taken from the body, to tell how many are left of a declared length. */
	private long takenFromBody;

	/** Bytes read since the mark (up to {@link #markLimit}); those from {@link #markedPos} on are to be read again. */
	private byte[] marked;

	private int markedPos;

	private int markedCount;

	/** The read limit of the current mark, or -1 when there is none. */
	private int markLimit = -1;

	RequestInputStream(RequestBody body, RequestFacade request) {
		this.body = body;
		this.request = request;
	}

	@Override
	public int read() throws IOException {
		int n = read(this.single, 0, 1);
		return (n <= 0) ? -1 : (this.single[0] & 0xff);
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		java.util.Objects.checkFromIndexSize(off, len, b.length);
		if (len == 0) {
			return 0;
		}
		if (this.markedPos < this.markedCount) {
			int n = Math.min(len, this.markedCount - this.markedPos);
			System.arraycopy(this.marked, this.markedPos, b, off, n);
			this.markedPos += n;
			return n;
		}
		if (this.pushback >= 0) {
			b[off] = (byte) this.pushback;
			this.pushback = -1;
			record(b, off, 1);
			return 1;
		}
		if (this.finished) {
			return -1;
		}
		int n = this.body.read(b, off, len);
		if (n < 0) {
			this.finished = true;
		}
		else {
			this.takenFromBody += n;
			record(b, off, n);
		}
		return n;
	}

	/**
	 * The rest of the body in one array when its size is known and it has arrived (an array sized by a declared length
	 * alone would let a client that declares a large body and sends nothing make the server allocate it).
	 */
	@Override
	public byte[] readNBytes(int len) throws IOException {
		if (len < 0) {
			throw new IllegalArgumentException("len < 0");
		}
		long left = bytesLeft();
		if (left < 0 || this.listener != null) {
			return super.readNBytes(len);
		}
		int size = (int) Math.min(len, left);
		if (size > available()) {
			return super.readNBytes(len);
		}
		byte[] result = new byte[size];
		int n = 0;
		while (n < size) {
			int read = read(result, n, size - n);
			if (read < 0) {
				break;
			}
			n += read;
		}
		return (n == size) ? result : Arrays.copyOf(result, n);
	}

	@Override
	public byte[] readAllBytes() throws IOException {
		return readNBytes(Integer.MAX_VALUE);
	}

	/** Bytes this stream will still return for a body of declared length, or -1 when the length is not known. */
	private long bytesLeft() {
		// The exchange's figure: 0 for a request without a body, where the servlet API says -1 (not declared).
		long declared = this.request.exchange().requestContentLength();
		if (declared < 0) {
			return -1;
		}
		return Math.max(0, declared - this.takenFromBody) + (this.markedCount - this.markedPos)
				+ ((this.pushback >= 0) ? 1 : 0);
	}

	@Override
	public boolean markSupported() {
		return true;
	}

	@Override
	public void mark(int readlimit) {
		int unread = this.markedCount - this.markedPos;
		if (unread > 0 && this.markedPos > 0) {
			// Bytes to be read again stay; the new mark starts at the first of them.
			System.arraycopy(this.marked, this.markedPos, this.marked, 0, unread);
		}
		this.markedPos = 0;
		this.markedCount = unread;
		this.markLimit = Math.max(readlimit, 0);
	}

	@Override
	public void reset() throws IOException {
		if (this.markLimit < 0) {
			throw new IOException("Resetting to an invalid mark: none was set, or more than its read limit was read");
		}
		this.markedPos = 0;
	}

	/** Keeps bytes just read for a {@link #reset}, while a mark is set and within its limit. */
	private void record(byte[] b, int off, int n) {
		if (this.markLimit < 0) {
			if (this.marked != null && this.markedPos >= this.markedCount) {
				this.marked = null;
				this.markedPos = 0;
				this.markedCount = 0;
			}
			return;
		}
		if (this.markedCount + n > this.markLimit) {
			this.markLimit = -1;
			this.marked = null;
			this.markedPos = 0;
			this.markedCount = 0;
			return;
		}
		if (this.marked == null || this.marked.length < this.markedCount + n) {
			int capacity = Math.min(this.markLimit, Math.max(this.markedCount + n, 2 * this.markedCount));
			this.marked = (this.marked != null) ? Arrays.copyOf(this.marked, capacity) : new byte[capacity];
		}
		System.arraycopy(b, off, this.marked, this.markedCount, n);
		this.markedCount += n;
		this.markedPos = this.markedCount;
	}

	@Override
	public int available() {
		return (this.markedCount - this.markedPos) + (this.pushback >= 0 ? 1 : 0) + this.body.available();
	}

	@Override
	public boolean isFinished() {
		return this.markedPos >= this.markedCount && this.pushback < 0 && (this.finished || this.body.isFinished());
	}

	/** Blocking mode: always ready (reads wait). Non-blocking: ready when a read would not wait. */
	@Override
	public boolean isReady() {
		if (this.listener == null || readsAtOnce()) {
			return true;
		}
		awaitReadable();
		return false;
	}

	private boolean readsAtOnce() {
		return this.markedPos < this.markedCount || this.pushback >= 0 || this.finished || this.body.available() > 0
				|| this.body.isFinished();
	}

	private void awaitReadable() {
		this.body.onReadable(() -> this.request.application().threads().executor().execute(this::readable));
	}

	@Override
	public void setReadListener(ReadListener readListener) {
		if (readListener == null) {
			throw new NullPointerException("readListener");
		}
		if (this.listener != null) {
			throw new IllegalStateException("A ReadListener has already been set");
		}
		if (!this.request.isAsyncStarted()) {
			throw new IllegalStateException("Non-blocking reads need asynchronous processing: call startAsync first");
		}
		this.listener = readListener;
		awaitReadable();
	}

	/** On a container thread: the body has data, has ended, or has failed. */
	private void readable() {
		ReadListener current = this.listener;
		try {
			if (this.markedPos >= this.markedCount && this.pushback < 0 && !this.finished
					&& this.body.available() == 0 && !this.body.isFinished()) {
				// Woken without data or end: the body failed, and a read says how (or, in a race, returns a byte).
				int n = this.body.read(this.single, 0, 1);
				if (n > 0) {
					this.takenFromBody++;
					this.pushback = this.single[0] & 0xff;
				}
				else if (n < 0) {
					this.finished = true;
				}
			}
			if (!isFinished()) {
				current.onDataAvailable();
			}
			if (isFinished() && !this.allDataReadSignalled) {
				this.allDataReadSignalled = true;
				current.onAllDataRead();
			}
		}
		catch (Throwable failure) {
			current.onError(failure);
		}
	}

}

package io.hybridserver.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * An {@link Exchange} whose response body is gzip-compressed on its way to the real one, decided at commit by
 * {@link ResponseCompression}. A compressed response streams (its length is not known in advance); {@link #flush()}
 * does a sync flush, so every byte written so far reaches the client (server-sent events stay live).
 *
 * <p>Same threading contract as the exchange it wraps: one application thread at a time. The deflater's native memory
 * is released when the exchange ends, however it ends.
 */
class GzipExchange implements Exchange {

	/** What this exchange does with a response the policy would compress. */
	enum Mode {

		/** Compresses the body. */
		COMPRESS,

		/** A HEAD request: says what GET would (Content-Encoding, no Content-Length); there is no body to compress. */
		HEAD,

		/** A client that takes no gzip: only the {@code Vary} that tells caches the answer depends on it. */
		IDENTITY

	}

	/** ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=unknown (RFC 1952). */
	private static final byte[] HEADER = { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff };

	final Exchange delegate;

	private final ResponseCompression policy;

	private final Mode mode;

	private Deflater deflater;

	private CRC32 crc;

	private byte[] out;

	private boolean headerWritten;

	GzipExchange(Exchange delegate, ResponseCompression policy, Mode mode) {
		this.delegate = delegate;
		this.policy = policy;
		this.mode = mode;
	}

	// ---- the response: decided at commit ------------------------------------------------------------------

	@Override
	public void commit(int status, long contentLength) {
		HttpFields headers = this.delegate.responseHeaders();
		if (this.policy.isCompressible(headers.get("Content-Type")) && !headers.getAll("Vary").contains("Accept-Encoding")) {
			// Caches must know the answer depends on Accept-Encoding, whether or not this one is compressed.
			headers.add("Vary", "Accept-Encoding");
		}
		if (this.mode == Mode.IDENTITY || !this.policy.shouldCompress(status, contentLength, headers)) {
			this.delegate.commit(status, contentLength);
			return;
		}
		headers.set("Content-Encoding", "gzip");
		String etag = headers.get("ETag");
		if (etag != null && !etag.startsWith("W/")) {
			// The representation changed, so a strong validator of the identity body no longer holds.
			headers.set("ETag", "W/" + etag);
		}
		if (this.mode == Mode.HEAD) {
			this.delegate.commit(status, -1);
			return;
		}
		this.deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
		this.crc = new CRC32();
		this.out = new byte[8192];
		this.delegate.commit(status, -1);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		if (!this.delegate.isCommitted()) {
			commit(200, -1);
		}
		if (this.deflater == null) {
			this.delegate.write(bytes, offset, length);
			return;
		}
		java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
		if (length == 0) {
			return;
		}
		writeHeader();
		this.crc.update(bytes, offset, length);
		this.deflater.setInput(bytes, offset, length);
		while (!this.deflater.needsInput()) {
			deflate(Deflater.NO_FLUSH);
		}
	}

	@Override
	public void flush() throws IOException {
		if (this.deflater != null && this.headerWritten) {
			// A full output buffer may hide more: repeat until the deflater has less than a buffer to give.
			while (deflate(Deflater.SYNC_FLUSH) == this.out.length) {
				// keep draining
			}
		}
		this.delegate.flush();
	}

	@Override
	public void complete() {
		if (this.deflater != null) {
			try {
				writeHeader();
				this.deflater.finish();
				while (!this.deflater.finished()) {
					deflate(Deflater.NO_FLUSH);
				}
				byte[] trailer = new byte[8];
				writeIntLe(trailer, 0, (int) this.crc.getValue());
				writeIntLe(trailer, 4, (int) this.deflater.getBytesRead());
				emit(trailer, 0, trailer.length);
			}
			catch (IOException ex) {
				end();
				this.delegate.abort(ex);
				return;
			}
			end();
		}
		this.delegate.complete();
	}

	@Override
	public void abort(Throwable cause) {
		end();
		this.delegate.abort(cause);
	}

	@Override
	public void endFollows() {
		this.delegate.endFollows();
	}

	/** Passes compressed bytes on; the bytes are reused after the call. */
	void emit(byte[] bytes, int offset, int length) throws IOException {
		this.delegate.write(bytes, offset, length);
	}

	/** Whether the committed response is being compressed. */
	final boolean compressing() {
		return this.deflater != null;
	}

	private void writeHeader() throws IOException {
		if (!this.headerWritten) {
			this.headerWritten = true;
			emit(HEADER, 0, HEADER.length);
		}
	}

	/** Runs the deflater once and passes on what it produced; returns how much that was. */
	private int deflate(int flush) throws IOException {
		int n = this.deflater.deflate(this.out, 0, this.out.length, flush);
		if (n > 0) {
			emit(this.out, 0, n);
		}
		return n;
	}

	private void end() {
		if (this.deflater != null) {
			this.deflater.end();
		}
	}

	private static void writeIntLe(byte[] target, int at, int value) {
		target[at] = (byte) value;
		target[at + 1] = (byte) (value >>> 8);
		target[at + 2] = (byte) (value >>> 16);
		target[at + 3] = (byte) (value >>> 24);
	}

	// ---- everything else is the wrapped exchange's ----------------------------------------------------------

	@Override
	public String method() {
		return this.delegate.method();
	}

	@Override
	public String target() {
		return this.delegate.target();
	}

	@Override
	public String protocol() {
		return this.delegate.protocol();
	}

	@Override
	public HttpFields requestHeaders() {
		return this.delegate.requestHeaders();
	}

	@Override
	public long requestContentLength() {
		return this.delegate.requestContentLength();
	}

	@Override
	public RequestBody requestBody() {
		return this.delegate.requestBody();
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return this.delegate.remoteAddress();
	}

	@Override
	public InetSocketAddress localAddress() {
		return this.delegate.localAddress();
	}

	@Override
	public Map<String, Object> connectionAttributes() {
		return this.delegate.connectionAttributes();
	}

	@Override
	public String scheme() {
		return this.delegate.scheme();
	}

	@Override
	public HttpFields responseHeaders() {
		return this.delegate.responseHeaders();
	}

	@Override
	public boolean isCommitted() {
		return this.delegate.isCommitted();
	}

	@Override
	public boolean isOpen() {
		return this.delegate.isOpen();
	}

	@Override
	public boolean isWritable() {
		return this.delegate.isWritable();
	}

	@Override
	public void onWritable(Runnable callback) {
		this.delegate.onWritable(callback);
	}

	@Override
	public void onConnectionLost(Runnable callback) {
		this.delegate.onConnectionLost(callback);
	}

	@Override
	public boolean wantsDescription() {
		return this.delegate.wantsDescription();
	}

	@Override
	public void describe(String remoteUser, String sessionId) {
		this.delegate.describe(remoteUser, sessionId);
	}

	@Override
	public void describeForwardedClient(String remoteAddress) {
		this.delegate.describeForwardedClient(remoteAddress);
	}

	/** A 101 has no body to compress: the upgrade is the connection's, through the exchange underneath. */
	@Override
	public boolean canUpgrade() {
		return this.delegate.canUpgrade();
	}

	@Override
	public void upgrade(ConnectionUpgrade upgrade) {
		this.delegate.upgrade(upgrade);
	}

	@Override
	public HttpFields requestTrailers() {
		return this.delegate.requestTrailers();
	}

	@Override
	public boolean supportsResponseTrailers() {
		return this.delegate.supportsResponseTrailers();
	}

	@Override
	public void responseTrailers(Supplier<Map<String, String>> trailers) {
		this.delegate.responseTrailers(trailers);
	}

}

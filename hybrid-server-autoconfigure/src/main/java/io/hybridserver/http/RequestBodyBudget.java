package io.hybridserver.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide allowance of request body bytes held past each body's own buffer: a body that streams in faster
 * than its reader takes it may hold up to {@link HttpServerConfig#getMaxRequestBodyBufferSize()} instead of
 * {@link HttpServerConfig#getRequestBodyBufferSize()}, so that the loop hands it over in large batches (one wake-up of
 * the reader per half buffer, not per socket read), but only while the sum of such growth stays within the budget.
 * Many uploads at once then cost at most the budget on top of their ordinary buffers, and each body past the budget
 * keeps the ordinary buffer: slower, never refused.
 *
 * <p>A body takes its whole growth in one step and gives it back once, when it ends: two atomic operations per large
 * upload, none per chunk.
 */
public final class RequestBodyBudget {

	/** No growth for anyone: what protocols with their own flow control (HTTP/2, HTTP/3) use. */
	public static final RequestBodyBudget NONE = new RequestBodyBudget(0);

	private final long total;

	private final AtomicLong available;

	/**
	 * @param total bytes all bodies together may hold past their own buffers; 0 for none
	 */
	public RequestBodyBudget(long total) {
		if (total < 0) {
			throw new IllegalArgumentException("The request body buffer budget must not be negative, was " + total);
		}
		this.total = total;
		this.available = new AtomicLong(total);
	}

	/** Takes {@code bytes} from the budget if that many are left; all or nothing. */
	boolean tryTake(long bytes) {
		long left = this.available.get();
		while (left >= bytes) {
			long witness = this.available.compareAndExchange(left, left - bytes);
			if (witness == left) {
				return true;
			}
			left = witness;
		}
		return false;
	}

	/** Returns what {@link #tryTake} took. */
	void giveBack(long bytes) {
		this.available.addAndGet(bytes);
	}

	/** Bytes of the budget not held by any body now. */
	public long available() {
		return this.available.get();
	}

	/** The whole budget. */
	public long total() {
		return this.total;
	}

}

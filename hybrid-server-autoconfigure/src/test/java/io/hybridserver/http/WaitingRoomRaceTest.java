package io.hybridserver.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link WaitingRoom}'s claims raced against the loops' timeouts and clients that leave, many times over: every
 * waiting request must end exactly one way (taken by the queue, answered 503, or aborted), and none may be left
 * claimed by the room while the queue refuses it, where no timeout can reach it any more. Counts, not timing: the
 * threads are released together each round so that their steps interleave differently from round to round.
 */
class WaitingRoomRaceTest {

	private static final int ROUNDS = 20_000;

	private static final int PER_ROUND = 4;

	@Test
	void everyWaitingRequestEndsExactlyOnceWhateverRacesItsClaim() throws Exception {
		FlakyQueue queue = new FlakyQueue();
		WaitingRoom room = new WaitingRoom(queue);
		HttpServerStats stats = new HttpServerStats();
		CyclicBarrier start = new CyclicBarrier(2);
		CyclicBarrier done = new CyclicBarrier(2);
		// The room's side: each round a worker took an exchange, so the room admits while the queue takes them.
		Thread admitter = new Thread(() -> {
			for (int round = 0; round < ROUNDS; round++) {
				await(start);
				room.roomFreed();
				await(done);
			}
		}, "admitter");
		admitter.setDaemon(true);
		admitter.start();
		List<CountingExchange> all = new ArrayList<>();
		int timedOut = 0;
		for (int round = 0; round < ROUNDS; round++) {
			queue.refusing = true;
			List<WaitingRequest> waiting = new ArrayList<>();
			List<CountingExchange> exchanges = new ArrayList<>();
			for (int i = 0; i < PER_ROUND; i++) {
				CountingExchange exchange = new CountingExchange();
				WaitingRequest request = new WaitingRequest(room, exchange, stats, 1, System.nanoTime(),
						TimeUnit.SECONDS.toNanos(10));
				exchange.onConnectionLost(request::cancel);
				assertThat(room.enter(request)).isTrue();
				waiting.add(request);
				exchanges.add(exchange);
			}
			queue.refusing = false;
			// The loops' side: every request's time runs out, and some clients leave, while the room claims them.
			await(start);
			for (int i = 0; i < PER_ROUND; i++) {
				if (i == PER_ROUND - 1 && (round & 1) == 0) {
					exchanges.get(i).leave();
				}
				else {
					waiting.get(i).expire();
				}
			}
			await(done);
			// No more room from now on: whatever was not taken must have been answered or aborted already.
			queue.refusing = true;
			room.roomFreed();
			for (CountingExchange exchange : exchanges) {
				assertThat(exchange.endings()).as("round %d: %s", round, exchange).isEqualTo(1);
				timedOut += exchange.answered503.get();
			}
			assertThat(room.size()).as("round %d", round).isZero();
			all.addAll(exchanges);
		}
		int admitted = (int) all.stream().filter((exchange) -> exchange.queued.get() == 1).count();
		int aborted = all.stream().mapToInt((exchange) -> exchange.aborted.get()).sum();
		assertThat(admitted + timedOut + aborted).isEqualTo(ROUNDS * PER_ROUND);
		assertThat(stats.rejections(HttpServerStats.Rejection.QUEUE_FULL)).isEqualTo(timedOut);
		// The race was run: each outcome happened, and claims were refused by the queue.
		assertThat(admitted).isPositive();
		assertThat(timedOut).isPositive();
		assertThat(aborted).isPositive();
		assertThat(queue.refusedOffers.get()).isPositive();
	}

	private static void await(CyclicBarrier barrier) {
		try {
			barrier.await(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A request queue that always says it has room but refuses about one offer in three, as a queue does whose last
	 * slot another producer took between the look and the offer; a short spin in the offer widens the window in which
	 * a request is claimed.
	 */
	private static final class FlakyQueue implements ExchangeDispatcher {

		volatile boolean refusing;

		final AtomicInteger refusedOffers = new AtomicInteger();

		@Override
		public boolean dispatch(Exchange exchange) {
			return enqueue(exchange, System.nanoTime());
		}

		@Override
		public boolean hasRoom() {
			return !this.refusing;
		}

		@Override
		public boolean enqueue(Exchange exchange, long arrivedNanos) {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			for (int spins = random.nextInt(64); spins > 0; spins--) {
				Thread.onSpinWait();
			}
			if (this.refusing || random.nextInt(3) == 0) {
				this.refusedOffers.incrementAndGet();
				return false;
			}
			((CountingExchange) exchange).queued.incrementAndGet();
			return true;
		}

	}

	/** An exchange that counts how its wait ended: queued, answered (and with what), aborted. */
	private static final class CountingExchange implements Exchange {

		final AtomicInteger queued = new AtomicInteger();

		final AtomicInteger answered503 = new AtomicInteger();

		final AtomicInteger aborted = new AtomicInteger();

		private final HttpFields responseHeaders = new NettyHttpFields(new DefaultHttpHeaders(), false);

		private volatile boolean open = true;

		private volatile Runnable connectionLost;

		private volatile int status;

		int endings() {
			return this.queued.get() + this.answered503.get() + this.aborted.get();
		}

		/** The client leaves: the connection closes, and its loop signals it. */
		void leave() {
			this.open = false;
			this.connectionLost.run();
		}

		@Override
		public void onConnectionLost(Runnable callback) {
			this.connectionLost = callback;
		}

		@Override
		public boolean isOpen() {
			return this.open;
		}

		@Override
		public void commit(int status, long contentLength) {
			this.status = status;
		}

		@Override
		public void complete() {
			if (this.status == 503) {
				this.answered503.incrementAndGet();
			}
		}

		@Override
		public void abort(Throwable cause) {
			this.aborted.incrementAndGet();
		}

		@Override
		public String protocol() {
			return "HTTP/1.1";
		}

		@Override
		public HttpFields responseHeaders() {
			return this.responseHeaders;
		}

		@Override
		public boolean isCommitted() {
			return this.status != 0;
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
		}

		@Override
		public void flush() throws IOException {
		}

		@Override
		public String method() {
			return "GET";
		}

		@Override
		public String target() {
			return "/";
		}

		@Override
		public HttpFields requestHeaders() {
			return NettyHttpFields.EMPTY;
		}

		@Override
		public long requestContentLength() {
			return 0;
		}

		@Override
		public RequestBody requestBody() {
			throw new UnsupportedOperationException();
		}

		@Override
		public InetSocketAddress remoteAddress() {
			return InetSocketAddress.createUnresolved("client", 1);
		}

		@Override
		public InetSocketAddress localAddress() {
			return InetSocketAddress.createUnresolved("server", 2);
		}

		@Override
		public String scheme() {
			return "http";
		}

		@Override
		public String toString() {
			return "queued " + this.queued + ", 503 " + this.answered503 + ", aborted " + this.aborted;
		}

	}

}

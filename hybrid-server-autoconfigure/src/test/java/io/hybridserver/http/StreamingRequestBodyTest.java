package io.hybridserver.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The request body between an event loop and a worker, with real threads: reads drain every buffered piece at once,
 * the buffer stays bounded and reading resumes once it has drained, a waiting reader is woken by bytes, the end and a
 * failure, and every piece is released.
 */
class StreamingRequestBodyTest {

	private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

	private final AtomicInteger resumed = new AtomicInteger();

	private final List<ByteBuf> offered = new ArrayList<>();

	@Test
	void aReadTakesEveryBufferedPieceThatFits() throws IOException {
		StreamingRequestBody body = body(1024);
		body.offer(piece(100, 'a'));
		body.offer(piece(100, 'b'));
		body.offer(piece(100, 'c'));
		body.end();
		byte[] into = new byte[1000];
		assertThat(body.read(into, 10, 990)).isEqualTo(300);
		assertThat(into[10]).isEqualTo((byte) 'a');
		assertThat(into[110]).isEqualTo((byte) 'b');
		assertThat(into[309]).isEqualTo((byte) 'c');
		assertThat(body.read(into, 0, 1000)).isEqualTo(-1);
		assertThat(body.isFinished()).isTrue();
		assertReleased();
	}

	@Test
	void aShortReadLeavesTheRestOfAPieceForTheNext() throws IOException {
		StreamingRequestBody body = body(1024);
		body.offer(piece(100, 'a'));
		body.offer(piece(100, 'b'));
		body.end();
		byte[] into = new byte[150];
		assertThat(body.read(into, 0, 150)).isEqualTo(150);
		assertThat(into[149]).isEqualTo((byte) 'b');
		assertThat(body.available()).isEqualTo(50);
		assertThat(body.read(into, 0, 150)).isEqualTo(50);
		assertThat(body.read(into, 0, 150)).isEqualTo(-1);
		assertReleased();
	}

	@Test
	void aFullBufferStopsReadingUntilOneReadDrainsItBelowHalf() throws IOException {
		StreamingRequestBody body = body(1000);
		for (int i = 0; i < 4; i++) {
			assertThat(body.wantsMore()).isTrue();
			body.offer(piece(300, 'x'));
		}
		assertThat(body.wantsMore()).isFalse();
		byte[] into = new byte[2000];
		assertThat(body.read(into, 0, 2000)).isEqualTo(1200);
		assertThat(this.resumed).hasValue(1);
		assertThat(body.buffered()).isZero();
		body.end();
		assertThat(body.read(into, 0, 2000)).isEqualTo(-1);
		assertReleased();
	}

	@Test
	void aWaitingReaderIsWokenByBytesThenByTheEnd() throws Exception {
		StreamingRequestBody body = body(1024);
		Reader first = Reader.start(body);
		first.awaitWaiting();
		body.offer(piece(10, 'a'));
		body.offer(piece(10, 'b'));
		int n = first.result.get(10, TimeUnit.SECONDS);
		assertThat(n).isBetween(10, 20);
		if (n == 10) {
			// Woken by the first piece before the second came: the second is there for the next read.
			assertThat(body.read(new byte[100], 0, 100)).isEqualTo(10);
		}
		Reader end = Reader.start(body);
		end.awaitWaiting();
		body.end();
		assertThat(end.result.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
		assertReleased();
	}

	@Test
	void aWaitingReaderSeesTheBodyFail() throws Exception {
		StreamingRequestBody body = body(1024);
		Reader read = Reader.start(body);
		read.awaitWaiting();
		body.fail(new IOException("connection reset"));
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> read.result.get(10, TimeUnit.SECONDS))
			.havingCause()
			.withMessage("connection reset");
	}

	@Test
	void aFailedBodyReleasesWhatItHeld() {
		StreamingRequestBody body = body(1024);
		body.offer(piece(100, 'a'));
		body.offer(piece(100, 'b'));
		body.fail(new IOException("connection reset"));
		assertReleased();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> body.read(new byte[10], 0, 10));
	}

	@Test
	void aHeldWakeLeavesTheReaderAsleepUntilReleased() throws Exception {
		StreamingRequestBody body = body(1024);
		Reader read = Reader.start(body);
		read.awaitWaiting();
		body.offer(piece(100, 'a'), true);
		assertThat(body.holdsWake()).isTrue();
		Thread.sleep(50);
		assertThat(read.result).isNotDone();
		body.offer(piece(100, 'b'), true);
		body.releaseHeldWake();
		assertThat(body.holdsWake()).isFalse();
		assertThat(read.result.get(10, TimeUnit.SECONDS)).isEqualTo(100);
		body.end();
		assertThat(body.read(new byte[200], 0, 200)).isEqualTo(100);
		assertThat(body.read(new byte[200], 0, 200)).isEqualTo(-1);
		assertReleased();
	}

	@Test
	void halfTheMarkBufferedWakesTheReaderEvenWithMoreOnTheWay() throws Exception {
		StreamingRequestBody body = body(1024);
		Reader read = Reader.start(body);
		read.awaitWaiting();
		body.offer(piece(300, 'a'), true);
		assertThat(body.holdsWake()).isTrue();
		body.offer(piece(300, 'b'), true);
		assertThat(body.holdsWake()).isFalse();
		assertThat(read.result.get(10, TimeUnit.SECONDS)).isEqualTo(100);
		// The exchange's end discards what its reader left.
		body.discard();
		assertReleased();
	}

	@Test
	void theEndWakesAReaderWhoseWakeWasHeld() throws Exception {
		StreamingRequestBody body = body(1024);
		Reader read = Reader.start(body);
		read.awaitWaiting();
		body.offer(piece(10, 'a'), true);
		body.end();
		assertThat(body.holdsWake()).isFalse();
		assertThat(read.result.get(10, TimeUnit.SECONDS)).isEqualTo(10);
		assertThat(body.read(new byte[10], 0, 10)).isEqualTo(-1);
		assertReleased();
	}

	@Test
	void aFullBufferGrowsFromTheBudgetAndGivesItBackOnceWhenRead() throws IOException {
		RequestBodyBudget budget = new RequestBodyBudget(5000);
		StreamingRequestBody body = body(1000, 4000, budget);
		body.offer(piece(1000, 'a'));
		assertThat(body.wantsMore()).isTrue();
		assertThat(body.highWaterMark()).isEqualTo(4000);
		assertThat(budget.available()).isEqualTo(2000);
		body.offer(piece(3000, 'b'));
		assertThat(body.wantsMore()).isFalse();
		body.end();
		byte[] into = new byte[8000];
		assertThat(body.read(into, 0, 8000)).isEqualTo(4000);
		assertThat(budget.available()).isEqualTo(2000);
		assertThat(body.read(into, 0, 8000)).isEqualTo(-1);
		assertThat(budget.available()).isEqualTo(5000);
		body.discard();
		assertThat(budget.available()).isEqualTo(5000);
		assertReleased();
	}

	@Test
	void aBodyThatFindsTooLittleBudgetKeepsItsOwnBuffer() {
		RequestBodyBudget budget = new RequestBodyBudget(5000);
		StreamingRequestBody first = body(1000, 4000, budget);
		first.offer(piece(1000, 'a'));
		assertThat(first.wantsMore()).isTrue();
		StreamingRequestBody second = body(1000, 4000, budget);
		second.offer(piece(1000, 'b'));
		assertThat(second.wantsMore()).isFalse();
		assertThat(second.highWaterMark()).isEqualTo(1000);
		first.discard();
		assertThat(budget.available()).isEqualTo(5000);
		second.fail(new IOException("connection reset"));
		assertThat(budget.available()).isEqualTo(5000);
		assertReleased();
	}

	@Test
	void aFailedOrDiscardedBodyGivesItsGrowthBack() {
		RequestBodyBudget budget = new RequestBodyBudget(10_000);
		StreamingRequestBody failed = body(1000, 4000, budget);
		failed.offer(piece(1000, 'a'));
		assertThat(failed.wantsMore()).isTrue();
		StreamingRequestBody discarded = body(1000, 4000, budget);
		discarded.offer(piece(1000, 'b'));
		assertThat(discarded.wantsMore()).isTrue();
		assertThat(budget.available()).isEqualTo(4000);
		failed.fail(new IOException("connection reset"));
		discarded.discard();
		failed.discard();
		assertThat(budget.available()).isEqualTo(10_000);
		// Once closed, a body no longer grows: what it would take could never be given back.
		StreamingRequestBody late = body(1000, 4000, budget);
		late.discard();
		assertThat(late.wantsMore()).isTrue();
		assertThat(late.highWaterMark()).isEqualTo(1000);
		assertThat(budget.available()).isEqualTo(10_000);
		assertReleased();
	}

	@Test
	void theBudgetIsTakenAllOrNothing() {
		RequestBodyBudget budget = new RequestBodyBudget(100);
		assertThat(budget.tryTake(60)).isTrue();
		assertThat(budget.tryTake(60)).isFalse();
		assertThat(budget.tryTake(40)).isTrue();
		assertThat(budget.available()).isZero();
		budget.giveBack(100);
		assertThat(budget.available()).isEqualTo(100);
		assertThat(RequestBodyBudget.NONE.tryTake(1)).isFalse();
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new RequestBodyBudget(-1));
	}

	private StreamingRequestBody body(int highWaterMark, int maxHighWaterMark, RequestBodyBudget budget) {
		return new StreamingRequestBody(highWaterMark, maxHighWaterMark, budget, TIMEOUT,
				this.resumed::incrementAndGet, () -> {
				}, null);
	}

	private StreamingRequestBody body(int highWaterMark) {
		return new StreamingRequestBody(highWaterMark, TIMEOUT, this.resumed::incrementAndGet, () -> {
		});
	}

	private ByteBuf piece(int size, char fill) {
		ByteBuf piece = Unpooled.directBuffer(size);
		for (int i = 0; i < size; i++) {
			piece.writeByte(fill);
		}
		this.offered.add(piece);
		return piece;
	}

	private void assertReleased() {
		for (ByteBuf piece : this.offered) {
			assertThat(piece.refCnt()).isZero();
		}
	}

	/** A worker reading 100 bytes on a thread of its own. */
	private record Reader(Thread thread, CompletableFuture<Integer> result) {

		static Reader start(StreamingRequestBody body) {
			CompletableFuture<Integer> result = new CompletableFuture<>();
			Thread thread = new Thread(() -> {
				try {
					result.complete(body.read(new byte[100], 0, 100));
				}
				catch (Throwable ex) {
					result.completeExceptionally(ex);
				}
			}, "body-reader");
			thread.start();
			return new Reader(thread, result);
		}

		/** Until the reader parks in its read: the test is about waking it, not about bytes already there. */
		void awaitWaiting() {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (this.thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
				Thread.onSpinWait();
			}
			assertThat(this.result).isNotDone();
			assertThat(this.thread.getState()).isEqualTo(Thread.State.TIMED_WAITING);
		}

	}

}

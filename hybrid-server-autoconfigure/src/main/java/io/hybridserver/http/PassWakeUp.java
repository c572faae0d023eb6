package io.hybridserver.http;

import java.util.function.IntConsumer;

import io.netty.channel.SingleThreadIoEventLoop;

/**
 * Wakes workers once per pass of an event loop for everything that pass handed them, in one of Netty's
 * after-iteration tasks: on a CPU shared with the loop, a wake-up per item would be a context switch per item.
 * Loop-confined.
 */
public final class PassWakeUp implements Runnable {

	private final SingleThreadIoEventLoop loop;

	private final IntConsumer wake;

	private int handedOver;

	private boolean registered;

	/** @param wake wakes workers for the given number of items handed over in one pass */
	public PassWakeUp(SingleThreadIoEventLoop loop, IntConsumer wake) {
		this.loop = loop;
		this.wake = wake;
	}

	/** Loop: one more item was handed to the workers in this pass. */
	public void handedOver() {
		this.handedOver++;
		if (!this.registered) {
			this.registered = true;
			try {
				this.loop.executeAfterEventLoopIteration(this);
			}
			catch (RuntimeException ex) {
				// The loop is shutting down and takes no more tasks: wake now rather than never.
				run();
			}
		}
	}

	/** Loop, after the pass: wakes for what it handed over. */
	@Override
	public void run() {
		int count = this.handedOver;
		this.handedOver = 0;
		this.registered = false;
		if (count > 0) {
			this.wake.accept(count);
		}
	}

}

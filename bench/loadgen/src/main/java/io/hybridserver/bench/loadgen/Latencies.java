package io.hybridserver.bench.loadgen;

import java.util.Arrays;

/** Latency samples in nanoseconds, kept whole (a run has at most a few million) and sorted once for percentiles. */
final class Latencies {

	private long[] samples = new long[1 << 16];

	private int count;

	void add(long nanos) {
		if (this.count == this.samples.length) {
			this.samples = Arrays.copyOf(this.samples, this.count * 2);
		}
		this.samples[this.count++] = nanos;
	}

	int count() {
		return this.count;
	}

	/** {@code p50_us=... p90_us=... p99_us=... p999_us=... max_us=... mean_us=...} */
	String summary() {
		long[] sorted = Arrays.copyOf(this.samples, this.count);
		Arrays.sort(sorted);
		return "p50_us=" + micros(sorted, 0.50) + " p90_us=" + micros(sorted, 0.90) + " p99_us=" + micros(sorted, 0.99)
				+ " p999_us=" + micros(sorted, 0.999) + " max_us=" + micros(sorted, 1.0) + " mean_us="
				+ String.format("%.1f", mean(sorted) / 1000.0);
	}

	private static String micros(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return "NaN";
		}
		int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1));
		return String.format("%.1f", sorted[index] / 1000.0);
	}

	private static double mean(long[] sorted) {
		double sum = 0;
		for (long sample : sorted) {
			sum += sample;
		}
		return (sorted.length == 0) ? Double.NaN : sum / sorted.length;
	}

}

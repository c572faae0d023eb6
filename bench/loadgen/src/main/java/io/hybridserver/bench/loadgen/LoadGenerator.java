package io.hybridserver.bench.loadgen;

import java.util.Arrays;

/**
 * The harness's own client, for the measurements no packaged tool makes:
 *
 * <ul>
 * <li>{@code idle URL CONNECTIONS HOLD_SECONDS READY_FILE}: opens that many keep-alive connections, makes one request
 * on each (so the TLS handshake and the server's per-connection state exist), then holds them idle. Writes
 * {@code READY_FILE} once they are all open, so the harness can measure the server's memory meanwhile.</li>
 * <li>{@code idle-steps URL STEPS HOLD_SECONDS READY_PREFIX}: the same in steps ({@code STEPS} ascending totals,
 * comma-separated), waiting for the harness to measure the server at each ({@link IdleConnections}).</li>
 * <li>{@code windows URL CONNECTIONS SECONDS WINDOW_SECONDS CLIENT_WARMUP_SECONDS WAIT_SECONDS READY_FILE}: closed-loop
 * keep-alive load from a server's first answer on, requests per second in windows ({@link WarmupWindows}).</li>
 * <li>{@code rate URL RATE CONNECTIONS WARMUP_SECONDS SECONDS}: open-loop load at a fixed request rate; latency is
 * counted from when each request was due, not from when a connection was free to send it (no coordinated
 * omission).</li>
 * <li>{@code handshake URL CONNECTIONS WARMUP_SECONDS SECONDS}: closed-loop load where every request opens a new
 * connection and makes a full TLS handshake (no session resumption), then {@code Connection: close}.</li>
 * <li>{@code closed PROTOCOL URL CONNECTIONS STREAMS WARMUP_SECONDS SECONDS}: closed-loop {@code GET} load over
 * {@code h1}, {@code h2} or {@code h3} with the same client, the same requests in flight ({@link ProtocolLoad}).</li>
 * <li>{@code ws-echo URL CONNECTIONS MESSAGE_BYTES WARMUP_SECONDS SECONDS}: WebSocket echo, closed loop: messages per
 * second and round-trip percentiles ({@link WebSocketLoad}).</li>
 * <li>{@code ws-idle URL CONNECTIONS HOLD_SECONDS READY_FILE}: that many idle WebSocket sessions, as {@code idle} holds
 * HTTP connections.</li>
 * <li>{@code memory PID}: a JVM's live heap (after a full GC) and direct buffers, read through the attach API.</li>
 * <li>{@code slow MODE URL CONNECTIONS SECONDS PERIOD_MS READY_FILE}: slow attackers ({@code slowloris},
 * {@code slow-body}, {@code slow-read}; see {@link SlowClients}) for bench/slow-clients.sh.</li>
 * </ul>
 *
 * Every mode prints one {@code RESULT key=value ...} line that bench/run.sh parses. With {@code -Dbench.serverPid=PID}
 * the load modes also report the server's CPU time over the measured window ({@code server_cpu_s}).
 */
public final class LoadGenerator {

	private LoadGenerator() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			usage();
		}
		String[] rest = Arrays.copyOfRange(args, 1, args.length);
		switch (args[0]) {
			case "idle" -> {
				expect(rest, 4);
				IdleConnections.run(Target.parse(rest[0]), Integer.parseInt(rest[1]), Integer.parseInt(rest[2]),
						rest[3]);
			}
			case "idle-steps" -> {
				expect(rest, 4);
				int[] steps = Arrays.stream(rest[1].split(",")).mapToInt(Integer::parseInt).toArray();
				IdleConnections.steps(Target.parse(rest[0]), steps, Integer.parseInt(rest[2]), rest[3]);
			}
			case "windows" -> {
				expect(rest, 7);
				WarmupWindows.run(Target.parse(rest[0]), Integer.parseInt(rest[1]), Integer.parseInt(rest[2]),
						Integer.parseInt(rest[3]), Integer.parseInt(rest[4]), Integer.parseInt(rest[5]), rest[6]);
			}
			case "rate" -> {
				expect(rest, 5);
				OpenLoopLoad.run(Target.parse(rest[0]), Integer.parseInt(rest[1]), Integer.parseInt(rest[2]),
						Integer.parseInt(rest[3]), Integer.parseInt(rest[4]));
			}
			case "handshake" -> {
				expect(rest, 4);
				HandshakeLoad.run(Target.parse(rest[0]), Integer.parseInt(rest[1]), Integer.parseInt(rest[2]),
						Integer.parseInt(rest[3]));
			}
			case "closed" -> {
				expect(rest, 6);
				ProtocolLoad.run(rest[0], Target.parse(rest[1]), Integer.parseInt(rest[2]), Integer.parseInt(rest[3]),
						Integer.parseInt(rest[4]), Integer.parseInt(rest[5]));
			}
			case "ws-echo" -> {
				expect(rest, 5);
				WebSocketLoad.echo(Target.parse(rest[0]), Integer.parseInt(rest[1]), Integer.parseInt(rest[2]),
						Integer.parseInt(rest[3]), Integer.parseInt(rest[4]));
			}
			case "ws-idle" -> {
				expect(rest, 4);
				WebSocketLoad.idle(Target.parse(rest[0]), Integer.parseInt(rest[1]), Integer.parseInt(rest[2]),
						rest[3]);
			}
			case "memory" -> {
				expect(rest, 1);
				MemoryProbe.run(rest[0]);
			}
			case "slow" -> {
				expect(rest, 6);
				SlowClients.run(rest[0], rest[1], Integer.parseInt(rest[2]), Integer.parseInt(rest[3]),
						Long.parseLong(rest[4]), rest[5]);
			}
			default -> usage();
		}
		System.exit(0);
	}

	private static void expect(String[] args, int count) {
		if (args.length != count) {
			usage();
		}
	}

	private static void usage() {
		System.err.println("usage: loadgen idle URL CONNECTIONS HOLD_SECONDS READY_FILE\n"
				+ "       loadgen idle-steps URL STEP,STEP,... HOLD_SECONDS READY_PREFIX\n"
				+ "       loadgen windows URL CONNECTIONS SECONDS WINDOW_SECONDS CLIENT_WARMUP_SECONDS WAIT_SECONDS"
				+ " READY_FILE\n"
				+ "       loadgen rate URL RATE CONNECTIONS WARMUP_SECONDS SECONDS\n"
				+ "       loadgen handshake URL CONNECTIONS WARMUP_SECONDS SECONDS\n"
				+ "       loadgen closed h1|h2|h3 URL CONNECTIONS STREAMS WARMUP_SECONDS SECONDS\n"
				+ "       loadgen ws-echo URL CONNECTIONS MESSAGE_BYTES WARMUP_SECONDS SECONDS\n"
				+ "       loadgen ws-idle URL CONNECTIONS HOLD_SECONDS READY_FILE\n"
				+ "       loadgen memory PID\n"
				+ "       loadgen slow slowloris|slow-body|slow-read URL CONNECTIONS SECONDS PERIOD_MS READY_FILE");
		System.exit(2);
	}

}

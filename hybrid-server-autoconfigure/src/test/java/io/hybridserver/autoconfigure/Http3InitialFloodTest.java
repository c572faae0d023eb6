package io.hybridserver.autoconfigure;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.http.h3.Http3Stats;
import io.hybridserver.testsupport.Http3TestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of QUIC Initial packets that never complete a handshake, as spoofed sources send them (each with a new
 * connection id, none returning a token): the server answers each with a Retry and nothing more, so no connection and no
 * TLS handshake is spent on them, and a real client still connects.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
				"server.ssl.key-alias=server", "server.hybrid.http3.enabled=true" })
class Http3InitialFloodTest {

	private static final int PACKETS = 300;

	@LocalServerPort
	int port;

	@Autowired
	WebServerApplicationContext context;

	@Test
	void initialsWithoutTokenGetRetriesAndCostNoConnection() throws Exception {
		Http3Stats stats = ((HybridWebServer) this.context.getWebServer()).getHttp3Stats();
		long accepted = stats.connectionsAccepted();
		long handshakes = stats.handshakesSucceeded() + stats.handshakesFailed();
		long retries = stats.retriesSent();
		int answered = 0;
		try (DatagramSocket socket = new DatagramSocket()) {
			socket.setSoTimeout(200);
			InetAddress server = InetAddress.getLoopbackAddress();
			byte[] reply = new byte[2048];
			for (int i = 0; i < PACKETS; i++) {
				byte[] initial = initial();
				socket.send(new DatagramPacket(initial, initial.length, server, this.port));
				// Pace the flood by the answers, so that loopback buffers do not drop it and every packet is judged.
				try {
					DatagramPacket packet = new DatagramPacket(reply, reply.length);
					socket.receive(packet);
					// A long-header packet of type Retry (RFC 9000 17.2.5): 0b11 form bits, type 0b11.
					if ((reply[0] & 0xF0) == 0xF0) {
						answered++;
					}
				}
				catch (SocketTimeoutException ex) {
					// counted below: every packet must have had its Retry
				}
			}
		}
		assertThat(answered).isEqualTo(PACKETS);
		assertThat(stats.retriesSent() - retries).isEqualTo(PACKETS);
		assertThat(stats.connectionsAccepted()).isEqualTo(accepted);
		assertThat(stats.handshakesSucceeded() + stats.handshakesFailed()).isEqualTo(handshakes);
		// A token that was never issued is refused, and the server keeps serving real clients.
		try (Http3TestClient client = Http3TestClient.connect(this.port)) {
			assertThat(client.get("/hello").status()).isEqualTo(200);
		}
		assertThat(stats.connectionsAccepted()).isEqualTo(accepted + 1);
	}

	/** A QUIC v1 Initial (RFC 9000 17.2.2) with fresh connection ids and no token, padded to 1200 bytes. */
	private static byte[] initial() {
		ByteBuffer packet = ByteBuffer.allocate(1200);
		byte[] dcid = new byte[8];
		byte[] scid = new byte[8];
		ThreadLocalRandom.current().nextBytes(dcid);
		ThreadLocalRandom.current().nextBytes(scid);
		packet.put((byte) 0xC3);
		packet.putInt(1);
		packet.put((byte) dcid.length).put(dcid);
		packet.put((byte) scid.length).put(scid);
		packet.put((byte) 0);
		int length = packet.remaining() - 2;
		packet.putShort((short) (0x4000 | length));
		byte[] rest = new byte[packet.remaining()];
		ThreadLocalRandom.current().nextBytes(rest);
		packet.put(rest);
		return packet.array();
	}

}

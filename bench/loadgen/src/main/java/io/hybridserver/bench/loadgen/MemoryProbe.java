package io.hybridserver.bench.loadgen;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

/**
 * Reads a running JVM's memory through the attach API and its local JMX agent: live heap after a full collection, and
 * the direct and mapped buffer pools (what {@code ByteBuffer.allocateDirect} holds: Netty's pooled buffers included,
 * unless Netty was told to allocate without cleaners). Native memory that the JVM does not see (BoringSSL's own
 * allocations, for one) only shows in the process's RSS, which the harness reads from /proc.
 *
 * <p>The first probe starts the target's JMX agent, which costs it memory once; the harness probes once before it
 * takes its baseline so that this cost is not counted against connections.
 */
final class MemoryProbe {

	private MemoryProbe() {
	}

	static void run(String pid) throws Exception {
		VirtualMachine vm = VirtualMachine.attach(pid);
		String address;
		try {
			address = vm.startLocalManagementAgent();
		}
		finally {
			vm.detach();
		}
		try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
			MBeanServerConnection connection = connector.getMBeanServerConnection();
			MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(connection,
					ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
			memory.gc();
			memory.gc();
			MemoryUsage heap = memory.getHeapMemoryUsage();
			MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
			StringBuilder line = new StringBuilder("RESULT mode=memory heap_used=").append(heap.getUsed())
				.append(" heap_committed=").append(heap.getCommitted())
				.append(" nonheap_used=").append(nonHeap.getUsed());
			for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(connection, BufferPoolMXBean.class)) {
				String name = pool.getName().replaceAll("[^A-Za-z0-9]+", "_");
				line.append(' ').append(name).append("_used=").append(pool.getMemoryUsed());
				line.append(' ').append(name).append("_count=").append(pool.getCount());
			}
			System.out.println(line);
		}
	}

}

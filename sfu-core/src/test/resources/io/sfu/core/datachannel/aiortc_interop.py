"""The aiortc side of AiortcInteropTest: aiortc's SCTP and data channels against ours, SCTP packets carried in
plain UDP datagrams on localhost (no DTLS: the SCTP stacks are what is tested).

Usage: aiortc_interop.py JAVA_UDP_PORT. aiortc starts the association (ICE controlling, so it sends INIT and
takes odd stream ids); the Java side sends INIT too. Checks, printed one per line, exit status 0 when all pass:
its messages on an ordered reliable channel come back intact (the Java side echoes), text and binary up to
64 KiB; an unordered channel without retransmissions carries messages too; a channel the Java side opens arrives,
its messages are echoed back; closing our channel by stream reset is seen by the Java side (it says so on its own
channel).
"""
import asyncio
import os
import socket
import sys

from aiortc.rtcdatachannel import RTCDataChannel, RTCDataChannelParameters
from aiortc.rtcsctptransport import RTCSctpCapabilities, RTCSctpTransport


class UdpCarrier:
    """Stands in for RTCDtlsTransport: what aiortc's SCTP transport calls on it, over a UDP socket."""

    def __init__(self, sock, peer):
        self.state = "connected"
        self.transport = type("IceRole", (), {"role": "controlling"})()
        self.sock = sock
        self.peer = peer
        self.receiver = None
        self.inbox = asyncio.Queue()
        asyncio.get_event_loop().add_reader(sock.fileno(), self._readable)

    def _readable(self):
        self.inbox.put_nowait(self.sock.recv(65536))

    async def pump(self):
        while True:
            data = await self.inbox.get()
            if self.receiver is not None:
                await self.receiver._handle_data(data)

    def _register_data_receiver(self, receiver):
        self.receiver = receiver

    def _unregister_data_receiver(self, receiver):
        self.receiver = None

    async def _send_data(self, data):
        self.sock.sendto(data, self.peer)


async def wait_for(condition, what, seconds=20):
    for _ in range(seconds * 100):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise TimeoutError(what)


async def main(java_port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.setblocking(False)
    carrier = UdpCarrier(sock, ("127.0.0.1", java_port))
    pump = asyncio.ensure_future(carrier.pump())
    sctp = RTCSctpTransport(carrier)
    from_java = []
    java_channels = []

    @sctp.on("datachannel")
    def on_datachannel(channel):
        java_channels.append(channel)

        @channel.on("message")
        def on_message(message):
            from_java.append(message)
            if message != "closed-seen":
                channel.send(message)

    await sctp.start(RTCSctpCapabilities(maxMessageSize=65536), 5000)

    reliable = RTCDataChannel(sctp, RTCDataChannelParameters(label="interop", protocol="echo"))
    echoes = []
    reliable.on("message", echoes.append)
    await wait_for(lambda: reliable.readyState == "open", "the reliable channel did not open")
    print("association established, channel open:", reliable.id)

    sent = ["hello", b"\x00", "", b""]
    for size in (100, 1200, 5000, 65536):
        sent.append(os.urandom(size))
    for message in sent:
        reliable.send(message)
    await wait_for(lambda: len(echoes) == len(sent), "echoes missing")
    assert echoes == sent, "echoes differ from what was sent"
    print("ordered reliable: %d messages echoed intact" % len(sent))

    lossy = RTCDataChannel(sctp, RTCDataChannelParameters(label="lossy", ordered=False, maxRetransmits=0))
    lossy_echoes = []
    lossy.on("message", lossy_echoes.append)
    await wait_for(lambda: lossy.readyState == "open", "the unordered channel did not open")
    lossy_sent = [os.urandom(300) for _ in range(20)]
    for message in lossy_sent:
        lossy.send(message)
    await wait_for(lambda: len(lossy_echoes) == len(lossy_sent), "unordered echoes missing")
    assert sorted(lossy_echoes) == sorted(lossy_sent), "unordered echoes differ"
    print("unordered, no retransmissions: %d messages echoed" % len(lossy_sent))

    await wait_for(lambda: len(from_java) >= 2, "the Java side's channel brought nothing")
    channel = java_channels[0]
    assert channel.label == "from-java", channel.label
    assert channel.id % 2 == 0, "the Java side (DTLS client here) must use even ids"
    print("channel from the Java side:", channel.label, channel.id, "messages:", len(from_java))

    reliable.close()
    await wait_for(lambda: reliable.readyState == "closed", "our channel did not close")
    await wait_for(lambda: "closed-seen" in from_java, "the Java side did not see our channel close")
    print("stream reset: our channel closed on both sides")

    await sctp.stop()
    pump.cancel()
    print("PASS")


if __name__ == "__main__":
    asyncio.get_event_loop().run_until_complete(asyncio.wait_for(main(int(sys.argv[1])), 60))

package io.sfu.core.turn;

import io.sfu.core.stun.StunAddress;
import io.sfu.core.stun.StunAttributeType;
import io.sfu.core.stun.StunIntegrity;
import io.sfu.core.stun.StunKey;
import io.sfu.core.stun.StunMessage;
import io.sfu.core.stun.StunMessageType;
import io.sfu.core.stun.StunMessageWriter;
import org.agrona.concurrent.UnsafeBuffer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** A TURN client for tests over a real UDP socket, TCP or TLS connection: builds requests, reads the answers. */
final class TurnTestClient implements AutoCloseable {
    private static final int WAIT_MS = 10_000;

    private final InetSocketAddress server;
    private final DatagramSocket udp;
    private final Socket tcp;
    private final DataInputStream tcpIn;
    private final StunIntegrity integrity = new StunIntegrity();
    String username;
    String realm;
    String nonce;
    StunKey key;
    private String pendingPassword;

    private TurnTestClient(InetSocketAddress server, DatagramSocket udp, Socket tcp) throws IOException {
        this.server = server;
        this.udp = udp;
        this.tcp = tcp;
        this.tcpIn = tcp == null ? null : new DataInputStream(tcp.getInputStream());
    }

    static TurnTestClient udp(InetSocketAddress server) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.setSoTimeout(WAIT_MS);
        return new TurnTestClient(server, socket, null);
    }

    static TurnTestClient tcp(InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server);
        socket.setSoTimeout(WAIT_MS);
        return new TurnTestClient(server, null, socket);
    }

    /** A client over TLS (RFC 8656 §3.1) that trusts what {@code trusting} trusts and checks the server's name. */
    static TurnTestClient tls(InetSocketAddress server, SSLContext trusting) throws IOException {
        SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket();
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setTcpNoDelay(true);
        socket.connect(server);
        socket.setSoTimeout(WAIT_MS);
        socket.startHandshake();
        return new TurnTestClient(server, null, socket);
    }

    /** Over TCP or TLS: a stream, where ChannelData is padded. */
    boolean isTcp() {
        return tcp != null;
    }

    /** Takes the credentials a `joined` would give: they are used once the server sent REALM and NONCE. */
    void credentials(String username, String password) {
        this.username = username;
        this.key = null;
        this.pendingPassword = password;
    }

    /** Builds a message: a header with a fresh transaction id; the caller adds attributes and calls send. */
    StunMessageWriter request(int method, int messageClass, byte[] buffer) {
        byte[] id = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        ThreadLocalRandom.current().nextBytes(id);
        return new StunMessageWriter().wrap(new UnsafeBuffer(buffer), 0, buffer.length)
            .header(StunMessageType.of(method, messageClass), id);
    }

    /** Adds USERNAME, REALM, NONCE and MESSAGE-INTEGRITY when the client has them, then sends. */
    void sendSigned(StunMessageWriter w, byte[] buffer) throws IOException {
        if (username != null && realm != null) {
            if (key == null) {
                key = StunKey.longTermMd5(username, realm, pendingPassword);
            }
            w.username(username.getBytes(StandardCharsets.UTF_8))
                .attribute(StunAttributeType.REALM, realm.getBytes(StandardCharsets.UTF_8))
                .attribute(StunAttributeType.NONCE, nonce.getBytes(StandardCharsets.UTF_8))
                .messageIntegrity(integrity, key);
        }
        send(buffer, w.fingerprint(integrity).length());
    }

    void send(byte[] message, int length) throws IOException {
        if (udp != null) {
            udp.send(new DatagramPacket(message, length, server));
        } else {
            tcp.getOutputStream().write(message, 0, length);
            tcp.getOutputStream().flush();
        }
    }

    /** The next message from the server: STUN or ChannelData (without its TCP padding). */
    byte[] receive() throws IOException {
        if (udp != null) {
            DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
            udp.receive(packet);
            return Arrays.copyOf(packet.getData(), packet.getLength());
        }
        byte[] head = new byte[4];
        tcpIn.readFully(head);
        int declared = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        boolean channel = (head[0] & 0xC0) == 0x40;
        int rest = channel ? ((4 + declared + 3) & ~3) - 4 : StunMessage.HEADER_LENGTH - 4 + declared;
        byte[] message = Arrays.copyOf(head, 4 + rest);
        tcpIn.readFully(message, 4, rest);
        return channel ? Arrays.copyOf(message, 4 + declared) : message;
    }

    /** The next STUN message from the server, read; remembers REALM and NONCE of a challenge. */
    StunMessage receiveStun() throws IOException {
        byte[] bytes = receive();
        StunMessage message = new StunMessage();
        if (!message.wrap(new UnsafeBuffer(bytes), 0, bytes.length)) {
            throw new AssertionError("not STUN: " + Arrays.toString(bytes));
        }
        if (message.realm() != null) {
            realm = message.realm();
        }
        if (message.nonce() != null) {
            nonce = message.nonce();
        }
        return message;
    }

    /** Whether the response carries a MESSAGE-INTEGRITY under this client's key. */
    boolean signedByServer(StunMessage response) {
        return response.hasMessageIntegrity() && integrity.checkMessageIntegrity(response, key);
    }

    /** Sends an Allocate for UDP relaying, signed when credentials are known, and returns the answer. */
    StunMessage allocate() throws IOException {
        byte[] buffer = new byte[512];
        StunMessageWriter w = request(StunMessageType.METHOD_ALLOCATE, StunMessageType.CLASS_REQUEST, buffer)
            .uint32Attribute(StunAttributeType.REQUESTED_TRANSPORT, TurnServer.TRANSPORT_UDP << 24);
        sendSigned(w, buffer);
        return receiveStun();
    }

    /** The 401 round trip then the signed Allocate, as every TURN client does it. */
    StunMessage allocateWithChallenge() throws IOException {
        StunMessage challenge = allocate();
        if (challenge.errorCode() != 401) {
            throw new AssertionError("expected a 401 challenge, got " + challenge);
        }
        return allocate();
    }

    StunMessage refresh(int lifetimeSeconds) throws IOException {
        byte[] buffer = new byte[512];
        StunMessageWriter w = request(StunMessageType.METHOD_REFRESH, StunMessageType.CLASS_REQUEST, buffer)
            .uint32Attribute(StunAttributeType.LIFETIME, lifetimeSeconds);
        sendSigned(w, buffer);
        return receiveStun();
    }

    StunMessage createPermission(InetSocketAddress peer) throws IOException {
        byte[] buffer = new byte[512];
        StunMessageWriter w = request(StunMessageType.METHOD_CREATE_PERMISSION, StunMessageType.CLASS_REQUEST,
            buffer).xorAddress(StunAttributeType.XOR_PEER_ADDRESS, new StunAddress().set(peer));
        sendSigned(w, buffer);
        return receiveStun();
    }

    StunMessage channelBind(int channel, InetSocketAddress peer) throws IOException {
        byte[] buffer = new byte[512];
        StunMessageWriter w = request(StunMessageType.METHOD_CHANNEL_BIND, StunMessageType.CLASS_REQUEST, buffer)
            .uint32Attribute(StunAttributeType.CHANNEL_NUMBER, channel << 16)
            .xorAddress(StunAttributeType.XOR_PEER_ADDRESS, new StunAddress().set(peer));
        sendSigned(w, buffer);
        return receiveStun();
    }

    void sendIndication(InetSocketAddress peer, byte[] data) throws IOException {
        byte[] buffer = new byte[4096];
        StunMessageWriter w = request(StunMessageType.METHOD_SEND, StunMessageType.CLASS_INDICATION, buffer)
            .xorAddress(StunAttributeType.XOR_PEER_ADDRESS, new StunAddress().set(peer))
            .attribute(StunAttributeType.DATA, data);
        send(buffer, w.length());
    }

    /** ChannelData, padded to 4 bytes over TCP (RFC 8656 §12.5). */
    void sendChannelData(int channel, byte[] data) throws IOException {
        int length = 4 + data.length;
        byte[] message = new byte[isTcp() ? (length + 3) & ~3 : length];
        message[0] = (byte) (channel >> 8);
        message[1] = (byte) channel;
        message[2] = (byte) (data.length >> 8);
        message[3] = (byte) data.length;
        System.arraycopy(data, 0, message, 4, data.length);
        send(message, message.length);
    }

    /** The relayed address of a successful Allocate answer. */
    static InetSocketAddress relayed(StunMessage allocated) {
        StunAddress address = new StunAddress();
        int at = allocated.findAttribute(StunAttributeType.XOR_RELAYED_ADDRESS);
        if (at < 0 || !allocated.address(at, true, address)) {
            throw new AssertionError("no XOR-RELAYED-ADDRESS in " + allocated);
        }
        return address.toInetSocketAddress();
    }

    @Override
    public void close() throws IOException {
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }
}

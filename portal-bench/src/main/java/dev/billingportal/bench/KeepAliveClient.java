package dev.billingportal.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client on one keep-alive connection: a raw socket with TCP_NODELAY on (as curl and most HTTP
 * clients set it) that sends a prepared request and reads the whole response (Content-Length or chunked) before the
 * next. It never reconnects: a connection the server closes is an {@link IOException}, so a benchmark that uses it
 * really reuses its connection, or fails. Not thread-safe: one per thread.
 */
final class KeepAliveClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final StringBuilder line = new StringBuilder(128);
    private byte[] lastBody = new byte[0];

    /** Connects to {@code port} on 127.0.0.1. */
    KeepAliveClient(int port) throws IOException {
        socket = new Socket(InetAddress.getByName("127.0.0.1"), port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        out = new BufferedOutputStream(socket.getOutputStream(), 4096);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    /** {@code GET target} with these extra header lines (each ending in CRLF), ready to send again and again. */
    static byte[] get(String target, String headers) {
        return ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends {@code request} and reads its whole response; returns the status code. */
    int exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String status = line();
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(header.substring(15).strip());
            } else if (header.regionMatches(true, 0, "Transfer-Encoding:", 0, 18)) {
                chunked = header.substring(18).strip().equalsIgnoreCase("chunked");
            } else if (header.regionMatches(true, 0, "Connection:", 0, 11)) {
                close = header.substring(11).strip().equalsIgnoreCase("close");
            }
        }
        if (chunked) {
            lastBody = chunkedBody();
        } else if (length >= 0) {
            lastBody = in.readNBytes((int) length);
            if (lastBody.length != length) {
                throw new IOException("connection closed in the body");
            }
        } else {
            throw new IOException("response without Content-Length or chunked body: " + status);
        }
        if (close) {
            throw new IOException("the server closes the connection: " + status);
        }
        return Integer.parseInt(status.substring(9, 12));
    }

    /** The body of the last response. */
    String lastBody() {
        return new String(lastBody, StandardCharsets.UTF_8);
    }

    private byte[] chunkedBody() throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (int size = chunkSize(); size > 0; size = chunkSize()) {
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new IOException("connection closed in a chunk");
            }
            body.write(chunk);
            line(); // CRLF after the chunk
        }
        while (!line().isEmpty()) {
            // trailers
        }
        return body.toByteArray();
    }

    private int chunkSize() throws IOException {
        String size = line();
        int extension = size.indexOf(';');
        return Integer.parseInt((extension >= 0 ? size.substring(0, extension) : size).strip(), 16);
    }

    private String line() throws IOException {
        line.setLength(0);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package dev.taskbridge.testing;

import dev.taskbridge.sandbox.EmbeddedKafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between the bridge and the test API server that misbehaves the way a network and a
 * restarting API server do: connections refused (nothing listens), reset (accepted, then RST), or
 * black-holed (accepted, bytes swallowed, never an answer). Switching to a fault also breaks the
 * connections already open (pooled HTTP connections and watches), as a restart would.
 */
public final class FaultProxy implements AutoCloseable {
  /** What the proxy does with connections. */
  public enum Mode {
    PASS,
    REFUSE,
    RESET,
    BLACKHOLE
  }

  private final int port;
  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.PASS;
  private volatile ServerSocket listener;
  private volatile boolean closed;

  private FaultProxy(int port, InetSocketAddress target) {
    this.port = port;
    this.target = target;
  }

  /** A proxy on a free local port in front of {@code targetPort} on 127.0.0.1. */
  public static FaultProxy to(int targetPort) {
    FaultProxy p =
        new FaultProxy(EmbeddedKafka.freePort(), new InetSocketAddress("127.0.0.1", targetPort));
    p.listen();
    return p;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  public Mode mode() {
    return mode;
  }

  /** Switches behaviour; open connections are broken by any fault. */
  public synchronized void set(Mode now) {
    Mode before = mode;
    mode = now;
    if (now == Mode.PASS) {
      if (before == Mode.BLACKHOLE) {
        open.forEach(this::reset); // bytes were swallowed mid-stream: broken for good
      }
      if (listener == null) {
        listen();
      }
      return;
    }
    if (now == Mode.REFUSE) {
      closeListener();
    } else if (listener == null) {
      listen();
    }
    if (before != now) {
      for (Socket s : open) {
        if (before == Mode.BLACKHOLE) {
          reset(s); // bytes were swallowed mid-stream: these connections are broken for good
          continue;
        }
        if (now == Mode.BLACKHOLE) {
          continue; // existing connections go silent: their pumps stop forwarding
        }
        reset(s);
      }
    }
  }

  private void listen() {
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      listener = s;
      Thread t = new Thread(() -> accept(s), "fault-proxy-accept");
      t.setDaemon(true);
      t.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void closeListener() {
    ServerSocket s = listener;
    listener = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private void accept(ServerSocket server) {
    while (!server.isClosed() && !closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      open.add(client);
      Mode m = mode;
      if (m == Mode.RESET) {
        reset(client);
      } else if (m == Mode.BLACKHOLE) {
        pump(client, null, null);
      } else {
        try {
          Socket upstream = new Socket();
          upstream.connect(target, 2000);
          open.add(upstream);
          pump(client, upstream, client);
          pump(upstream, client, client);
        } catch (IOException e) {
          reset(client);
        }
      }
    }
  }

  /** Copies {@code from} to {@code to} while the mode passes traffic; swallows it otherwise. */
  private void pump(Socket from, Socket to, Socket client) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? null : to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                  if (out != null && mode == Mode.PASS) {
                    out.write(buf, 0, n);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // the connection ended or was reset
              } finally {
                quietClose(from);
                if (to != null) {
                  quietClose(to);
                }
              }
            },
            "fault-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // close with RST, not FIN
    } catch (SocketException ignored) {
      // already closed
    }
    quietClose(s);
  }

  private void quietClose(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() {
    closed = true;
    closeListener();
    for (Socket s : open) {
      quietClose(s);
    }
  }
}

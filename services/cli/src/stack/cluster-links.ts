import http from 'node:http';
import net from 'node:net';

// The local cluster's "network" (cluster mode with links, docs/operations.md): one TCP proxy in
// front of each broker's client/replication listener and each broker's controller listener. The
// brokers listen on internal ports and advertise the proxies, so every byte between clients,
// brokers and controllers passes a link. Cutting node N destroys every connection to N and every
// connection N opened to the others (told apart by the Kafka client id of its first request:
// broker-N-fetcher-…, raft-client-N, and N itself for its heartbeats to the controller), in both directions, and refuses new
// ones until healed: a partition on loopback without iptables, namespaces or root.

/** One proxy: listens on `listen`, forwards to `target`, which belongs to broker `node`. */
export interface Link {
  name: string;
  node: number;
  listen: number;
  target: number;
}

export interface LinksConfig {
  links: Link[];
  /** HTTP control port: GET /state, POST /cut/<node>, POST /heal/<node>. */
  control: number;
}

/**
 * The Kafka request header's client id from the first bytes of a connection:
 * size(int32) api_key(int16) api_version(int16) correlation_id(int32) client_id(int16 length + bytes).
 * `undefined` while more bytes are needed, `null` for a null client id or bytes that are not Kafka.
 */
export function requestClientId(head: Buffer): string | null | undefined {
  if (head.length < 14) return undefined;
  const length = head.readInt16BE(12);
  if (length < 0) return null;
  if (head.readInt32BE(0) < 10 + length) return null;
  if (head.length < 14 + length) return undefined;
  return head.toString('utf8', 14, 14 + length);
}

/** The broker id a connection belongs to, from its client id; undefined for every other client. */
export function clientNode(clientId: string | null): number | undefined {
  if (!clientId) return undefined;
  const m = /^broker-(\d+)-|^raft-client-(\d+)$|^(\d+)(?:-to-controller.*)?$/.exec(clientId);
  const id = m?.[1] ?? m?.[2] ?? m?.[3];
  return id === undefined ? undefined : Number(id);
}

interface Connection {
  link: Link;
  from?: number;
  client: net.Socket;
  upstream?: net.Socket;
}

export interface RunningLinks {
  cut(node: number): number;
  heal(node: number): void;
  state(): { cut: number[]; connections: number; clients: Record<string, number> };
  close(): Promise<void>;
}

/** Starts every link and the control server; resolves once all listen. */
export async function startLinks(config: LinksConfig, log: (line: string) => void = () => {}): Promise<RunningLinks> {
  const cut = new Set<number>();
  const open = new Set<Connection>();
  const clients = new Map<string, number>();
  const isCut = (c: Connection) => cut.has(c.link.node) || (c.from !== undefined && cut.has(c.from));
  const drop = (c: Connection) => {
    open.delete(c);
    c.client.destroy();
    c.upstream?.destroy();
  };

  const servers = config.links.map((link) =>
    net.createServer((client) => {
      const c: Connection = { link, client };
      if (cut.has(link.node)) return void client.destroy();
      open.add(c);
      client.setNoDelay(true);
      let head = Buffer.alloc(0);
      const onHead = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const id = requestClientId(head);
        if (id === undefined && head.length < 4096) return;
        client.off('data', onHead);
        client.pause();
        const key = id ?? '(none)';
        clients.set(key, (clients.get(key) ?? 0) + 1);
        const from = clientNode(id ?? null);
        if (from !== undefined) c.from = from;
        if (isCut(c)) return drop(c);
        const upstream = net.connect({ host: '127.0.0.1', port: link.target });
        c.upstream = upstream;
        upstream.setNoDelay(true);
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          drop(c);
          // The broker's process is gone: refuse like its port would (ECONNREFUSED), not accept-and-reset.
          if (error.code === 'ECONNREFUSED') closeUntilBack(link);
        });
        upstream.on('close', () => drop(c));
        upstream.once('connect', () => {
          upstream.write(head);
          client.pipe(upstream);
          upstream.pipe(client);
          client.resume();
        });
      };
      client.on('data', onHead);
      client.on('error', () => drop(c));
      client.on('close', () => drop(c));
    }),
  );

  /** Stops listening for `link` while its target refuses; listens again once the target accepts. */
  const closing = new Set<Link>();
  const closeUntilBack = (link: Link) => {
    if (closing.has(link)) return;
    closing.add(link);
    const server = servers[config.links.indexOf(link)]!;
    server.close();
    log(`${link.name}: target ${link.target} refuses; ${link.listen} refuses too until it is back`);
    const poll = () => {
      const probe = net.connect({ host: '127.0.0.1', port: link.target });
      probe.once('connect', () => {
        probe.destroy();
        server.listen({ port: link.listen, host: '127.0.0.1' }, () => {
          closing.delete(link);
          log(`${link.name}: target back, listening on ${link.listen}`);
        });
      });
      probe.once('error', () => setTimeout(poll, 250));
    };
    setTimeout(poll, 250);
  };

  const running: RunningLinks = {
    cut(node) {
      cut.add(node);
      let dropped = 0;
      for (const c of [...open]) {
        if (!isCut(c)) continue;
        drop(c);
        dropped += 1;
      }
      log(`cut node ${node}: ${dropped} connections destroyed`);
      return dropped;
    },
    heal(node) {
      cut.delete(node);
      log(`healed node ${node}`);
    },
    state: () => ({ cut: [...cut].sort(), connections: open.size, clients: Object.fromEntries(clients) }),
    async close() {
      for (const c of [...open]) drop(c);
      await Promise.all([...servers, control].map((s) => new Promise((r) => s.close(r))));
    },
  };

  const control = http.createServer((req, res) => {
    const m = /^\/(cut|heal)\/(\d+)$/.exec(req.url ?? '');
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/state') return answer(200, running.state());
    if (req.method === 'POST' && m) {
      const node = Number(m[2]);
      if (m[1] === 'cut') return answer(200, { cut: node, dropped: running.cut(node) });
      running.heal(node);
      return answer(200, { healed: node });
    }
    answer(404, { error: 'GET /state, POST /cut/<node>, POST /heal/<node>' });
  });

  const listen = (server: net.Server, port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1' }, () => resolve());
    });
  await Promise.all([...config.links.map((l, i) => listen(servers[i]!, l.listen)), listen(control, config.control)]);
  log(`links up: ${config.links.map((l) => `${l.name} ${l.listen}→${l.target}`).join(', ')}; control on ${config.control}`);
  return running;
}

/** Asks the running links daemon to cut or heal a node (the fault tests' partition). */
export async function setLink(control: number, action: 'cut' | 'heal', node: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${control}/${action}/${node}`, { method: 'POST', signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`links ${action} ${node}: ${res.status} ${await res.text()}`);
}

export async function linksState(control: number): Promise<ReturnType<RunningLinks['state']>> {
  const res = await fetch(`http://127.0.0.1:${control}/state`, { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`links state: ${res.status}`);
  return (await res.json()) as ReturnType<RunningLinks['state']>;
}

import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listen } from '../../src/runtime/http-server';

/**
 * A pass-through proxy between the CRM simulators and our API (it is the PUBLIC_URL the CRMs call). It forwards every
 * delivery unchanged, then hands a copy to the observer. This is how the benchmark learns, without any API call that
 * would count in the CRMs' stats or eat their rate limits, when our own writes landed: HubSpot's webhook carries the
 * written value and the write's own timestamp (occurredAt), Zoho's notification names the records and fields written.
 */
export interface TapObserver {
  /** whether anyone waits for HubSpot events now: a backfill's flood of them is otherwise not even parsed */
  wantsHubspot(): boolean;
  hubspot(events: unknown[]): void;
  zoho(notification: unknown): void;
}

export interface WebhookTap {
  url: string;
  /** where deliveries are forwarded (the API; known only once it listens) */
  setTarget(url: string): void;
  close(): Promise<void>;
}

export async function startWebhookTap(observer: TapObserver): Promise<WebhookTap> {
  let target: URL | null = null;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!target) {
        res.writeHead(503).end();
        return;
      }
      forward(agent, target, req, body, res);
      observe(observer, req.url ?? '', body);
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    setTarget: (url) => {
      target = new URL(url);
    },
    close: async () => {
      await closeServer(server, 1000);
      agent.destroy();
    },
  };
}

function forward(agent: Agent, target: URL, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
  const upstream = request({ agent, host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  upstream.end(body);
}

function observe(observer: TapObserver, path: string, body: Buffer): void {
  if (path.startsWith('/webhooks/hubspot') && !observer.wantsHubspot()) return;
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return;
  }
  if (path.startsWith('/webhooks/hubspot') && Array.isArray(json)) observer.hubspot(json);
  else if (path.startsWith('/webhooks/zoho')) observer.zoho(json);
}

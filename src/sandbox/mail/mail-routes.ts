import { Router } from 'express';
import { param, queryString, route } from '../common/route';
import { parseHeaders } from './eml-headers';
import { summarise, type MailSink } from './mail-sink';

/**
 * GET /_sim/mail → the stored messages (JSON array, oldest first);
 * GET /_sim/mail/:id → the raw message (message/rfc822), or with ?format=json its summary and decoded headers.
 */
export function createMailRoutes(sink: Pick<MailSink, 'list' | 'read'>): Router {
  const router = Router();
  route(router, 'get', '/_sim/mail', async (_req, res) => {
    res.json(await sink.list());
  });
  route(router, 'get', '/_sim/mail/:id', async (req, res) => {
    const id = param(req, 'id');
    const raw = await sink.read(id);
    if (!raw) {
      res.status(404).json({ error: `no message ${id}` });
      return;
    }
    if (queryString(req, 'format') === 'json') {
      res.json({ ...summarise(id, raw), headers: parseHeaders(raw) });
      return;
    }
    res.type('message/rfc822').send(raw);
  });
  return router;
}

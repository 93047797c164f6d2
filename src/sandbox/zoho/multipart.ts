/**
 * Reads the text fields of a multipart/form-data body. The official Zoho TS SDK sends the token refresh
 * parameters this way, and express has no built-in multipart parser.
 */
export function parseMultipartFields(body: Buffer, contentType: string): Record<string, string> {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  const out: Record<string, string> = {};
  if (!boundary) return out;
  for (const part of body.toString('utf8').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const headers = part.slice(0, split);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (!name || /filename=/i.test(headers)) continue;
    out[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return out;
}

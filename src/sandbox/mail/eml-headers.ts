/**
 * Just enough RFC 5322 header reading to list sandbox mail without mailparser (a devDependency): unfold lines,
 * keep the first value of each header, decode RFC 2047 encoded-words in UTF-8, ASCII or Latin-1.
 */
export function parseHeaders(raw: Buffer): Record<string, string> {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = end === -1 ? text : text.slice(0, end);
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Headers are 7-bit in practice; re-read raw 8-bit bytes (SMTPUTF8 senders) as UTF-8.
    const value = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
    if (!Object.hasOwn(headers, name)) headers[name] = decodeEncodedWords(value);
  }
  return headers;
}

const ENCODED_WORD = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;

export function decodeEncodedWords(value: string): string {
  // Whitespace between two adjacent encoded-words is folding, not content (RFC 2047 §6.2).
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(ENCODED_WORD, (word: string, charset: string, encoding: string, body: string) => {
    const bytes =
      encoding.toUpperCase() === 'B'
        ? Buffer.from(body, 'base64')
        : Buffer.from(
            body.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          );
    const name = charset.toLowerCase().split('*')[0];
    if (name === 'utf-8' || name === 'utf8' || name === 'us-ascii') return bytes.toString('utf8');
    if (name === 'iso-8859-1' || name === 'latin1') return bytes.toString('latin1');
    return word;
  });
}

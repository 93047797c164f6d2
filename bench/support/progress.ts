let tag = 'bench';

/** Names the tool in progress lines (the chaos suite shares them). */
export function setProgressTag(name: string): void {
  tag = name;
}

/** Progress goes to stderr, so that stdout carries only the results table. */
export function progress(line: string): void {
  const clock = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[${tag} ${clock}] ${line}\n`);
}

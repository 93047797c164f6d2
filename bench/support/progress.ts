/** Progress goes to stderr, so that stdout carries only the results table. */
export function progress(line: string): void {
  const clock = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${clock}] ${line}\n`);
}

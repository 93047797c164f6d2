export async function recordSyncWorkflow(): Promise<void> {}

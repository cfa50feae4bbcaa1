import type { Table } from "./harness.js";
export async function secretsSection(_table: Table, _o: { work: string }): Promise<void> {}

/**
 * Reading Terraform's machine-readable UI (`-json`): one JSON object per line. Karma keeps the
 * full stream in the run log, shows each `@message` as progress and collects error diagnostics
 * for the failure message. Anything that is not a JSON line (crash output, init's text) is kept
 * as is.
 */

export interface MachineLogLine {
  level?: string;
  type?: string;
  message?: string;
  /** Present on `diagnostic` lines. */
  diagnostic?: {
    severity?: string;
    summary?: string;
    detail?: string;
    range?: { filename?: string; start?: { line?: number } };
  };
}

export function parseMachineLogLine(line: string): MachineLogLine | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    const out: MachineLogLine = {};
    if (typeof value["@level"] === "string") out.level = value["@level"];
    if (typeof value.type === "string") out.type = value.type;
    if (typeof value["@message"] === "string") out.message = value["@message"];
    if (value.diagnostic && typeof value.diagnostic === "object") {
      out.diagnostic = value.diagnostic as MachineLogLine["diagnostic"];
    }
    return out;
  } catch {
    return undefined;
  }
}

/** "Error: summary (main.tf line 3)\n  detail" — the way Terraform's own text UI words it, minus the snippet. */
export function formatDiagnostic(d: NonNullable<MachineLogLine["diagnostic"]>): string {
  const where = d.range?.filename
    ? ` (${d.range.filename}${d.range.start?.line !== undefined ? ` line ${d.range.start.line}` : ""})`
    : "";
  const head = `${d.severity === "warning" ? "Warning" : "Error"}: ${d.summary ?? "unknown error"}${where}`;
  return d.detail ? `${head}\n${d.detail}` : head;
}

/** Lines worth showing as progress: everything but the version banner and raw log records. */
export function isProgress(line: MachineLogLine): boolean {
  return line.message !== undefined && line.type !== "version" && line.type !== "log";
}

/**
 * The plan as a pull-request comment (`--format markdown`): a short summary on top (counts,
 * policy verdicts, waves), then one collapsible `<details>` block per affected component with
 * why it is in the plan, its dependency path and the keys it consumes.
 */
import { isBlocking } from "../../policies/model.js";
import type { PlanEntry, PlanReport } from "../model.js";
import { describeBase, describeConsumed, describeGraph, describeReason } from "./describe.js";
import { planSummary } from "./json.js";
import { describeToolPlan } from "./text.js";

/** Inline code that survives any content (backticks, pipes in table cells). */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** HTML-escapes text placed inside `<summary>`. */
function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function headline(entry: PlanEntry): string {
  if (entry.kind === "changed")
    return `changed (${[...new Set(entry.reasons.map((r) => r.kind))].join(", ")})`;
  return `dependent of ${entry.path[0]}`;
}

export function renderPlanMarkdown(report: PlanReport): string {
  const { plan } = report;
  const s = planSummary(report);
  const out: string[] = [];
  const status = s.blocking > 0 ? "❌" : s.warnings > 0 ? "⚠️" : "✅";
  out.push(
    `### ${status} Karma plan: ${s.changed} changed, ${s.affected} affected, ${s.waves} wave${s.waves === 1 ? "" : "s"}`,
    "",
    `Base: ${describeBase(plan.base)} · Graph: ${describeGraph(plan.graph)}`,
    "",
  );
  if (plan.entries.length === 0 && plan.removed.length === 0) out.push("No component changed.", "");

  if (plan.contractBreaks?.length) {
    out.push("**Contract-breaking**", "", "| consumer | reads | change |", "|---|---|---|");
    for (const b of plan.contractBreaks)
      out.push(
        `| ${code(b.consumer)} | ${code(`${b.producer}#${b.key}`)} at ${code(`${b.file}#${b.pointer}`)} | ${cell(b.kind === "removed" ? `removed from ${b.source}${b.suggestion ? ` (renamed to ${b.suggestion}?)` : ""}` : `retyped ${b.from!.join("|")} → ${b.to!.join("|")} in ${b.source}`)} |`,
      );
    out.push("");
  }
  if (plan.verdicts.length) {
    out.push("**Policies**", "", "| | rule | components | message | fix |", "|---|---|---|---|---|");
    for (const v of plan.verdicts) {
      const icon = v.approved ? "☑️ approved" : isBlocking(v) ? "❌ error" : "⚠️ warning";
      out.push(
        `| ${icon} | ${code(v.rule)} | ${cell(v.components.map(code).join(", "))} | ${cell(v.message)} | ${cell(v.fix)} |`,
      );
    }
    out.push("");
  } else {
    out.push("**Policies:** no violations", "");
  }

  if (plan.waves.length) {
    out.push("| wave | components |", "|---|---|");
    plan.waves.forEach((wave, i) => {
      out.push(`| ${i + 1} | ${wave.map((e) => code(e.id)).join(", ")} |`);
    });
    out.push("");
  }
  if (plan.removed.length) {
    out.push("**Removed (would be destroyed):**", "");
    for (const r of plan.removed)
      out.push(
        `- ${code(r.id)}${r.consumers.length ? ` — still consumed by ${r.consumers.map(code).join(", ")}` : ""}`,
      );
    out.push("");
  }
  if (report.warnings.length) {
    out.push("**Needs attention (pasted values):**", "");
    for (const w of report.warnings) out.push(`- ${cell(w)}`);
    out.push("");
  }
  if (report.problems.length) {
    out.push("**Problems:**", "");
    for (const p of report.problems)
      out.push(
        `- ${p.severity}: ${p.file ? `${code(p.file)} ` : ""}${p.pointer ? `${code(p.pointer)} ` : ""}${p.message}`,
      );
    out.push("");
  }

  const tool = new Map((report.terraform ?? []).map((t) => [t.id, t]));
  // wave order: the order a reviewer reads the rollout in
  for (const entry of plan.waves.flat()) {
    out.push(
      "<details>",
      `<summary><code>${html(entry.id)}</code> — wave ${entry.wave + 1}, ${html(headline(entry))}</summary>`,
      "",
    );
    if (entry.kind === "changed") for (const r of entry.reasons) out.push(`- ${describeReason(r)}`);
    else out.push(`- path: ${entry.path.map(code).join(" ← ")}`);
    for (const c of entry.consumes) out.push(`- consumes ${describeConsumed(c)}`);
    const t = tool.get(entry.id);
    if (t) out.push(`- terraform: ${describeToolPlan(t)}`);
    out.push("", "</details>");
  }
  return `${out.join("\n")}\n`;
}

/**
 * JUnit XML for CI systems: one <testsuite> per component, one <testcase> per test run (or one
 * for the component when its tests could not run). Only names and messages, never config values.
 */
import type { TestReport } from "./model.js";

function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
      // XML 1.0 forbids most control characters even when escaped
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
  );
}

export function renderJunit(report: TestReport): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const { summary } = report;
  lines.push(
    `<testsuites name="karma test" tests="${summary.total}" failures="${summary.failed}" skipped="${summary.skipped}">`,
  );
  for (const r of report.results) {
    const cases = r.cases.length
      ? r.cases
      : [
          {
            name: r.kind === "none" ? "tests" : "run",
            status: r.status,
            ...(r.message ? { message: r.message } : {}),
          },
        ];
    const failures = cases.filter((c) => c.status === "failed").length;
    const skipped = cases.filter((c) => c.status === "skipped").length;
    lines.push(
      `  <testsuite name="${escapeXml(r.component)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${(r.durationMs / 1000).toFixed(3)}">`,
    );
    lines.push(
      `    <properties><property name="type" value="${escapeXml(r.type)}"/><property name="runtime" value="${escapeXml(r.runtimeFrom)}"/></properties>`,
    );
    for (const c of cases) {
      const open = `    <testcase classname="${escapeXml(r.component)}" name="${escapeXml(c.name)}"`;
      if (c.status === "passed") lines.push(`${open}/>`);
      else if (c.status === "skipped")
        lines.push(`${open}><skipped message="${escapeXml(c.message ?? r.message ?? "")}"/></testcase>`);
      else {
        const message = c.message ?? r.message ?? "failed";
        lines.push(
          `${open}><failure message="${escapeXml(message.split("\n")[0] ?? "")}">${escapeXml(message)}</failure></testcase>`,
        );
      }
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

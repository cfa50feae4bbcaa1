/**
 * Karma's graph explorer: the estate's dependency graph (Cytoscape, layered dagre layout),
 * environments as compound nodes, components coloured by status, edges styled by kind with their
 * evidence on hover. Search uses the CLI's selector language (errors are the server's, i.e. the
 * CLI's); clicking a node opens its details, blast radius and a change-request dry run; two graph
 * versions can be compared. The URL carries the view (selector, node, impact, diff, version) so a
 * view can be shared.
 *
 * Every piece of data comes from the HTTP API (`api.ts`); nothing here computes a plan, an impact
 * or a status itself.
 */
import cytoscape, { type Core, type ElementDefinition, type EventObject } from "cytoscape";
import dagre from "cytoscape-dagre";
import { isJsonObject } from "../src/core/json/guards.js";
import {
  ApiError,
  api,
  type ChangeRequestAnswer,
  type ComponentDetail,
  type DriftedComponent,
  type EstateStatus,
  type Graph,
  type GraphDiff,
  type SelectionImpact,
  savedToken,
  saveToken,
} from "./api.js";
import {
  AGGREGATE_ABOVE,
  type DrawnGraph,
  describeEdge,
  drawnGraph,
  envNodeId,
  groupId,
  groupOfId,
  SHOWN_STATES,
  type ShownState,
  shownState,
  waveCounts,
  worstState,
} from "./view-model.js";

cytoscape.use(dagre);

declare global {
  interface Window {
    /** The drawn graph, for browser tests and for poking at from the devtools console. */
    karmaGraph?: Core;
  }
}

// ── state (mirrored in the URL) ──────────────────────────────────────────────────────────────

interface ViewState {
  select: string;
  node: string;
  impact: boolean;
  at?: number;
  diff?: { from: number; to: number };
}

function readUrl(): ViewState {
  const p = new URLSearchParams(location.search);
  const diff = /^(\d+)\.\.(\d+)$/.exec(p.get("diff") ?? "");
  const at = Number(p.get("at"));
  return {
    select: p.get("select") ?? "",
    node: p.get("node") ?? "",
    impact: p.get("impact") === "1",
    ...(at > 0 ? { at } : {}),
    ...(diff ? { diff: { from: Number(diff[1]), to: Number(diff[2]) } } : {}),
  };
}

function writeUrl(state: ViewState): void {
  const p = new URLSearchParams();
  if (state.select) p.set("select", state.select);
  if (state.node) p.set("node", state.node);
  if (state.impact) p.set("impact", "1");
  if (state.at !== undefined) p.set("at", String(state.at));
  if (state.diff) p.set("diff", `${state.diff.from}..${state.diff.to}`);
  const search = p.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

const state: ViewState = readUrl();
let graph: (Graph & { version: number }) | undefined;
let statusById = new Map<string, ShownState>();
/** Components the last Terraform drift check found drifted (no deploy since). */
let driftById = new Map<string, DriftedComponent>();
const expanded = new Set<string>();
let aggregate = false;
let cy: Core | undefined;

// ── DOM helpers (text only: values from the estate are never parsed as HTML) ───────────────

type Child = Node | string | undefined | false;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== undefined && c !== false) el.append(c);
  return el;
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const details = () => byId<HTMLElement>("details");

function message(text: string, error = false): void {
  const el = byId<HTMLElement>("message");
  el.textContent = text;
  el.classList.toggle("error", error);
}

function showError(error: unknown): void {
  if (error instanceof ApiError) message(`${error.message}${error.fix ? `\nfix: ${error.fix}` : ""}`, true);
  else message(String(error), true);
}

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h("button", { type: "button", ...attrs }, label);
  b.addEventListener("click", onClick);
  return b;
}

function jsonBlock(value: unknown): HTMLPreElement {
  return h("pre", {}, JSON.stringify(value, null, 2));
}

// ── theme ────────────────────────────────────────────────────────────────────────────────────

function applyTheme(theme: string): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem("karma.theme", theme);
  if (cy) cy.style(graphStyle());
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim();

function graphStyle(): cytoscape.StylesheetJson {
  const statusRules = SHOWN_STATES.map((s) => ({
    selector: `node[status = "${s}"]`,
    style: { "background-color": css(s) },
  }));
  return [
    {
      selector: "node",
      style: {
        label: "data(label)",
        color: css("fg"),
        "font-size": 11,
        "text-valign": "bottom",
        "text-margin-y": 4,
        "text-wrap": "wrap",
        "background-color": css("unknown"),
        width: 22,
        height: 22,
        "border-width": 0,
      },
    },
    ...statusRules,
    { selector: 'node[kind = "external"]', style: { shape: "diamond" } },
    { selector: 'node[kind = "runtime-only"]', style: { shape: "triangle" } },
    {
      selector: 'node[kind = "group"]',
      style: { shape: "round-rectangle", width: 40, height: 26, "background-color": css("accent") },
    },
    {
      selector: ":parent",
      style: {
        "background-color": css("env"),
        "border-color": css("border"),
        "border-width": 1,
        "text-valign": "top",
        "text-halign": "center",
        "font-weight": "bold",
        "font-size": 13,
        padding: "18px",
        shape: "round-rectangle",
      },
    },
    {
      selector: "edge",
      style: {
        width: 1.5,
        "line-color": css("muted"),
        "target-arrow-color": css("muted"),
        "target-arrow-shape": "triangle",
        "curve-style": "bezier",
        "arrow-scale": 0.8,
      },
    },
    { selector: 'edge[kind = "consumes"]', style: { "line-style": "dashed" } },
    { selector: 'edge[kind = "inferred"]', style: { "line-style": "dotted", width: 2 } },
    { selector: "edge[count > 1]", style: { label: "data(count)", "font-size": 9, color: css("muted") } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": css("accent") } },
    { selector: "node.origin", style: { "border-width": 4, "border-color": css("impact") } },
    {
      selector: "node.impacted",
      style: { "border-width": 3, "border-color": css("impact"), label: "data(waveLabel)" },
    },
    {
      selector: "edge.impacted",
      style: { "line-color": css("impact"), "target-arrow-color": css("impact") },
    },
    { selector: "node.added", style: { "border-width": 4, "border-color": css("added") } },
    { selector: "node.changed", style: { "border-width": 4, "border-color": css("changed") } },
    { selector: "edge.added", style: { "line-color": css("added"), "target-arrow-color": css("added") } },
    {
      selector: "edge.changed",
      style: { "line-color": css("changed"), "target-arrow-color": css("changed") },
    },
    {
      selector: "node.removed",
      style: {
        "background-color": css("bg"),
        "border-width": 3,
        "border-style": "dashed",
        "border-color": css("removed"),
      },
    },
    {
      selector: "edge.removed",
      style: { "line-style": "dashed", "line-color": css("removed"), "target-arrow-color": css("removed") },
    },
    { selector: ".faded", style: { opacity: 0.25 } },
  ] as cytoscape.StylesheetJson;
}

// ── graph drawing ─────────────────────────────────────────────────────────────────────────────

function statusOfGroup(key: string): ShownState | undefined {
  return worstState(
    (graph?.nodes ?? []).filter((n) => `${n.env}/${n.type}` === key).map((n) => statusById.get(n.id)),
  );
}

/** Sets each drawn node's status (a group takes its worst member's). */
function paintStatus(): void {
  cy?.nodes().forEach((node) => {
    const data = node.data() as { id: string; kind?: string; group?: string };
    if (data.kind === undefined) return; // an environment
    const status = data.kind === "group" ? statusOfGroup(data.group!) : statusById.get(data.id);
    if (status) node.data("status", status);
  });
}

function elementsOf(drawn: DrawnGraph): ElementDefinition[] {
  const elements: ElementDefinition[] = drawn.environments.map((env) => ({
    data: { id: envNodeId(env), label: env },
  }));
  for (const n of drawn.nodes) elements.push({ data: { ...n, waveLabel: n.label } });
  for (const e of drawn.edges)
    elements.push({
      data: {
        id: e.id,
        source: e.source,
        target: e.target,
        kind: e.kind,
        count: e.count,
        evidence:
          e.samples.map(describeEdge).join("\n") + (e.count > e.samples.length ? `\n… ${e.count} edges` : ""),
      },
    });
  return elements;
}

function draw(): void {
  if (!graph) return;
  const drawn = drawnGraph(graph, aggregate, expanded);
  const container = byId<HTMLElement>("graph");
  cy?.destroy();
  cy = cytoscape({
    container,
    elements: elementsOf(drawn),
    style: graphStyle(),
    layout: {
      name: "dagre",
      rankDir: "RL",
      nodeSep: 18,
      rankSep: 60,
      animate: false,
      fit: true,
      padding: 30,
    } as cytoscape.LayoutOptions,
    minZoom: 0.05,
    maxZoom: 1.6,
  });
  cy.on("tap", "node", (event: EventObject) => {
    const data = event.target.data() as { id: string; kind?: string; group?: string };
    if (data.kind === "group" && data.group) {
      expanded.add(data.group);
      draw();
      return;
    }
    if (data.kind === undefined) return; // an environment
    void openNode(data.id);
  });
  const tooltip = byId<HTMLElement>("tooltip");
  cy.on("mouseover", "edge", (event: EventObject) => {
    tooltip.textContent = String(event.target.data("evidence"));
    tooltip.hidden = false;
    const r = event.originalEvent as MouseEvent | undefined;
    if (r) Object.assign(tooltip.style, { left: `${r.clientX + 12}px`, top: `${r.clientY + 12}px` });
  });
  cy.on("mouseout", "edge", () => {
    tooltip.hidden = true;
  });
  paintStatus();
  // the drawn graph, for browser tests and for poking at from the devtools console
  window.karmaGraph = cy;
  message(
    `graph v${graph.version}: ${graph.nodes.length} nodes, ${graph.edges.length} edges${
      aggregate
        ? ` — aggregated by environment/type (${drawn.nodes.length} groups drawn); click a group to expand it`
        : ""
    }`,
  );
}

async function loadGraph(): Promise<void> {
  try {
    graph = await api.graph(state.select || undefined, state.at);
  } catch (error) {
    showError(error);
    return;
  }
  aggregate = graph.nodes.length > AGGREGATE_ABOVE;
  expanded.clear();
  draw();
  renderResults();
}

// ── side panel ───────────────────────────────────────────────────────────────────────────────

function renderLegend(): void {
  const legend = byId<HTMLElement>("legend");
  legend.replaceChildren(
    ...[...SHOWN_STATES]
      .reverse()
      .map((s) => h("span", {}, h("span", { class: "swatch", style: `background:var(--${s})` }), s)),
    h("span", {}, h("span", { class: "edge-key" }), "depends_on"),
    h("span", {}, h("span", { class: "edge-key consumes" }), "consumes (key-level)"),
    h("span", {}, h("span", { class: "edge-key inferred" }), "inferred"),
  );
}

/** The components the current selector shows, as buttons: the keyboard way into the graph. */
function renderResults(): void {
  const el = byId<HTMLElement>("results");
  if (!graph || !state.select) {
    el.replaceChildren();
    return;
  }
  const ids = graph.nodes.map((n) => n.id).sort();
  el.replaceChildren(
    h("h2", {}, `${ids.length} match${ids.length === 1 ? "" : "es"} for ${state.select}`),
    h(
      "ul",
      { class: "plain" },
      ...ids.slice(0, 200).map((id) =>
        h(
          "li",
          {},
          button(id, () => void openNode(id), { class: "link" }),
        ),
      ),
    ),
  );
}

function nodeLink(id: string): HTMLElement {
  return button(id, () => void openNode(id), { class: "link" });
}

function documentSection(title: string, doc: ComponentDetail["config"]): HTMLElement[] {
  const latest = doc.versions[0];
  const labels = latest?.labels?.length ? `: ${latest.labels.join(", ")}` : "";
  const head = h("h3", {}, `${title}${latest ? ` (v${latest.version}${labels})` : ""}`);
  if (!doc.present) return [head, h("p", {}, "none")];
  if (doc.secure) return [head, h("p", {}, "SecureString: the value is never shown")];
  const shown: HTMLElement[] = [head, jsonBlock(doc.value)];
  if (doc.redacted.length > 0) shown.push(h("p", {}, `redacted: ${doc.redacted.join(", ")}`));
  return shown;
}

function lineageRows(detail: ComponentDetail): HTMLElement {
  const rows = detail.producers
    .filter((e) => e.evidence.producerKey !== undefined)
    .map((e) =>
      h(
        "tr",
        {},
        h("td", {}, e.evidence.pointer || "/"),
        h("td", {}, "←"),
        h("td", {}, nodeLink(e.to)),
        h("td", {}, e.evidence.producerKey || "(runtime)"),
      ),
    );
  if (rows.length === 0) return h("p", {}, "no key-level references");
  return h(
    "table",
    { "aria-label": "key-level lineage" },
    h(
      "thead",
      {},
      h("tr", {}, h("th", {}, "config key"), h("th", {}), h("th", {}, "producer"), h("th", {}, "output")),
    ),
    h("tbody", {}, ...rows),
  );
}

function edgeList(edges: ComponentDetail["producers"], other: "from" | "to"): HTMLElement {
  if (edges.length === 0) return h("p", {}, "none");
  return h(
    "ul",
    { class: "plain" },
    ...edges.map((e) =>
      h("li", {}, nodeLink(e[other]), ` ${e.kind} (${e.evidence.form} ${e.evidence.pointer || "/"})`),
    ),
  );
}

function versionsTable(detail: ComponentDetail): HTMLElement {
  type Row = [string, ComponentDetail["config"]["versions"][number]];
  const rows = [
    ...detail.config.versions.map((v): Row => ["config", v]),
    ...detail.runtime.versions.map((v): Row => ["runtime", v]),
  ];
  return h(
    "table",
    { "aria-label": "versions" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}, "parameter"),
        h("th", {}, "version"),
        h("th", {}, "written"),
        h("th", {}, "by"),
        h("th", {}, "labels"),
      ),
    ),
    h(
      "tbody",
      {},
      ...rows.map(([kind, v]) =>
        h(
          "tr",
          {},
          h("td", {}, kind),
          h("td", {}, `v${v.version}`),
          h("td", {}, v.modified.replace("T", " ").slice(0, 19)),
          h("td", {}, String(v.provenance?.by ?? v.provenance?.actor ?? "")),
          h("td", {}, (v.labels ?? []).join(", ")),
        ),
      ),
    ),
  );
}

/** A JSON merge patch and the API token: request-change as a dry run, its plan overlaid. */
function changeForm(id: string, patch: HTMLTextAreaElement, token: HTMLInputElement): HTMLFormElement {
  const form = h(
    "form",
    { id: "change", class: "change", "aria-label": "propose a change" },
    h("h3", {}, "propose a change (dry run)"),
    patch,
    token,
    h("div", { class: "actions" }, h("button", { type: "submit", id: "propose" }, "Plan this change")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void proposeChange(id, patch.value, token.value);
  });
  return form;
}

/** The last Terraform drift check's finding, when it found the component drifted. */
function driftLine(id: string): HTMLElement[] {
  const drift = driftById.get(id);
  if (!drift) return [];
  const counts = Object.entries(drift.counts ?? {})
    .filter(([, n]) => typeof n === "number" && n > 0)
    .map(([action, n]) => `${String(n)} to ${action}`)
    .join(", ");
  return [
    h(
      "p",
      { id: "drift" },
      h("span", { class: "state", "data-drift": "drifted" }, "drifted"),
      ` — the Terraform check of ${drift.checkedAt.replace("T", " ").slice(0, 16)} found ${counts || "changes"}; a deploy puts the resources back (audit entry ${drift.logEntry})`,
    ),
  ];
}

/** Blue-green promotion: which runtime version consumers read (live) and the one waiting (candidate). */
function bluegreenSection(detail: ComponentDetail): HTMLElement[] {
  const bg = detail.bluegreen;
  if (!bg) return [];
  const slot = (s: string | undefined) => (s ? ` (${s})` : "");
  return [
    h("h3", {}, "blue-green"),
    h(
      "dl",
      { class: "bluegreen", "aria-label": "blue-green" },
      h("dt", {}, "live"),
      h("dd", { id: "bg-live" }, `runtime v${bg.live}${slot(bg.slots.live)}`),
      h("dt", {}, "candidate"),
      h(
        "dd",
        { id: "bg-candidate" },
        bg.candidate !== undefined
          ? `runtime v${bg.candidate}${slot(bg.slots.candidate)}: karma promote moves live onto it`
          : "none",
      ),
      ...(bg.previous !== undefined
        ? [h("dt", {}, "previous"), h("dd", {}, `runtime v${bg.previous}: karma rollback goes back to it`)]
        : []),
    ),
  ];
}

async function openNode(id: string): Promise<void> {
  state.node = id;
  state.impact = false;
  writeUrl(state);
  cy?.nodes().unselect();
  cy?.getElementById(id).select();
  if (id.includes(":/external/")) {
    details().replaceChildren(h("h2", {}, id), h("p", {}, "an external system (not deployed by Karma)"));
    return;
  }
  let detail: ComponentDetail;
  try {
    detail = await api.component(id, state.at);
  } catch (error) {
    showError(error);
    return;
  }
  const patch = h(
    "textarea",
    { id: "patch", "aria-label": "proposed change (JSON merge patch)" },
    '{\n  "replicas": 3\n}',
  );
  const token = h("input", {
    id: "token",
    type: "password",
    "aria-label": "API token",
    placeholder: "KARMA_API_TOKEN",
    value: savedToken(),
  });
  const status = detail.status;
  details().replaceChildren(
    h("h2", { id: "detail-title" }, detail.id),
    h(
      "p",
      {},
      h("span", { class: "state", "data-state": status?.state ?? "" }, status?.state ?? "not in Git"),
      status
        ? ` — ${status.reason || "config and runtime match"}`
        : detail.statusProblem
          ? ` — ${detail.statusProblem}`
          : "",
    ),
    ...driftLine(detail.id),
    ...bluegreenSection(detail),
    h(
      "div",
      { class: "actions" },
      button("Blast radius", () => void showImpact(detail.id), { id: "impact" }),
    ),
    h("section", { id: "impact-result" }),
    h("h3", {}, `depends on (${detail.producers.length})`),
    edgeList(detail.producers, "to"),
    h("h3", {}, `depended on by (${detail.consumers.length})`),
    edgeList(detail.consumers, "from"),
    h("h3", {}, "key-level lineage"),
    lineageRows(detail),
    ...documentSection("config", detail.config),
    ...documentSection("runtime", detail.runtime),
    h("h3", {}, "versions"),
    versionsTable(detail),
    changeForm(detail.id, patch, token),
    h("section", { id: "change-result" }),
  );
}

function highlight(origin: readonly string[], waves: readonly (readonly string[])[]): void {
  if (!cy) return;
  cy.elements().removeClass("impacted origin faded added changed");
  const waveOf = new Map<string, number>();
  waves.forEach((w, i) => {
    for (const id of w) waveOf.set(id, i + 1);
  });
  // a component hidden in a collapsed group lights its group
  const unit = (id: string) => (cy?.getElementById(id).nonempty() ? id : groupId(groupOfId(id)));
  for (const [id, wave] of waveOf) {
    const el = cy.getElementById(unit(id));
    if (el.empty()) continue;
    el.addClass("impacted");
    if (el.data("kind") !== "group") el.data("waveLabel", `${el.data("label")}\nwave ${wave}`);
  }
  for (const id of origin) cy.getElementById(unit(id)).removeClass("impacted").addClass("origin");
  const lit = cy.nodes(".impacted, .origin");
  lit.edgesWith(lit).addClass("impacted");
  cy.nodes(":childless").not(lit).addClass("faded");
}

async function showImpact(id: string): Promise<void> {
  let impact: SelectionImpact;
  try {
    impact = await api.impact(id, state.at);
  } catch (error) {
    showError(error);
    return;
  }
  state.node = id;
  state.impact = true;
  writeUrl(state);
  highlight(impact.selected, impact.waves);
  byId<HTMLElement>("impact-result").replaceChildren(
    h("h3", {}, `blast radius: ${impact.total} dependent${impact.total === 1 ? "" : "s"}`),
    h(
      "ul",
      { class: "plain", "aria-label": "waves" },
      ...waveCounts(impact.waves).map((w) =>
        h("li", {}, `wave ${w.wave}: ${w.count} component${w.count === 1 ? "" : "s"}`),
      ),
    ),
    ...Object.entries(impact.byEnvironment).map(([env, list]) =>
      h("p", {}, `${env}: `, ...list.flatMap((r, i) => [i > 0 ? ", " : "", nodeLink(r.id)])),
    ),
  );
}

async function proposeChange(id: string, text: string, token: string): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    message(`the proposed change is not valid JSON: ${error instanceof Error ? error.message : ""}`, true);
    return;
  }
  if (!isJsonObject(parsed)) {
    message('the proposed change must be a JSON object (a merge patch, e.g. {"replicas": 3})', true);
    return;
  }
  const patch = parsed;
  saveToken(token);
  let answer: ChangeRequestAnswer;
  try {
    answer = await api.requestChange(id, patch);
  } catch (error) {
    showError(error);
    return;
  }
  highlight([id], answer.waves);
  const keys = [
    ...answer.changed_keys.changed.map((k) => `~${k}`),
    ...answer.changed_keys.added.map((k) => `+${k}`),
    ...answer.changed_keys.removed.map((k) => `-${k}`),
  ];
  byId<HTMLElement>("change-result").replaceChildren(
    h(
      "p",
      {},
      "status: ",
      h("span", { class: `badge ${answer.status}`, id: "change-status" }, answer.status),
      ` (log entry ${answer.log_entry_id})`,
    ),
    h("p", {}, `changed keys: ${keys.join(", ") || "none"}`),
    h("p", {}, `affected: ${answer.affected_components.length}`),
    h("ul", { class: "plain" }, ...answer.waves.map((w, i) => h("li", {}, `wave ${i + 1}: ${w.join(", ")}`))),
    ...answer.verdicts.map((v) => h("p", {}, `${v.severity} ${v.rule}: ${v.message}`)),
    ...answer.warnings.map((w) => h("p", {}, `warning: ${w}`)),
    ...answer.errors.map((e) => h("p", { class: "rejected" }, e)),
  );
}

// ── versions and diff ────────────────────────────────────────────────────────────────────────

async function loadVersions(): Promise<void> {
  const { versions } = await api.versions();
  const from = byId<HTMLSelectElement>("from");
  const to = byId<HTMLSelectElement>("to");
  const options = (selected: number | undefined) =>
    versions.map((v) => {
      const o = h(
        "option",
        { value: String(v.version) },
        `v${v.version} (${v.createdAt.slice(0, 16).replace("T", " ")})`,
      );
      if (v.version === selected) o.selected = true;
      return o;
    });
  const last = versions.at(-1)?.version;
  const before = versions.at(-2)?.version ?? last;
  const slider = byId<HTMLInputElement>("at");
  slider.min = String(versions[0]?.version ?? 1);
  slider.max = String(last ?? 1);
  slider.value = String(state.at ?? last ?? 1);
  slider.disabled = versions.length < 2;
  byId<HTMLOutputElement>("at-label").value = `v${slider.value}`;
  from.replaceChildren(...options(state.diff?.from ?? before));
  to.replaceChildren(...options(state.diff?.to ?? last));
}

function renderDiff(from: number, to: number, diff: GraphDiff): void {
  const list = (title: string, items: string[]) =>
    h(
      "div",
      {},
      h("h3", {}, `${title} (${items.length})`),
      h("ul", { class: "plain" }, ...items.map((t) => h("li", {}, t))),
    );
  const edge = (e: GraphDiff["edges"]["added"][number]) =>
    `${e.from} → ${e.to} ${e.kind} ${e.evidence.pointer || "/"}`;
  details().replaceChildren(
    h("h2", { id: "diff-title" }, `graph v${from} → v${to}`),
    list(
      "nodes added",
      diff.nodes.added.map((n) => n.id),
    ),
    list(
      "nodes removed",
      diff.nodes.removed.map((n) => n.id),
    ),
    list(
      "nodes changed",
      diff.nodes.changed.map((c) => `${c.after.id} (${c.fields.join(", ")})`),
    ),
    list("edges added", diff.edges.added.map(edge)),
    list("edges removed", diff.edges.removed.map(edge)),
    list(
      "edges changed",
      diff.edges.changed.map((c) => `${edge(c.after)} (${c.fields.join(", ")})`),
    ),
  );
  if (!cy) return;
  cy.elements().removeClass("impacted origin faded added changed removed");
  const edgesOf = (e: { from: string; to: string; kind: string }) =>
    cy?.edges(`[source = "${e.from}"][target = "${e.to}"][kind = "${e.kind}"]`);
  for (const n of diff.nodes.added) cy.getElementById(n.id).addClass("added");
  for (const c of diff.nodes.changed) cy.getElementById(c.after.id).addClass("changed");
  for (const e of diff.edges.added) edgesOf(e)?.addClass("added");
  for (const c of diff.edges.changed) edgesOf(c.after)?.addClass("changed");
  if (aggregate) return; // removed components have no group to stand in
  // what the newer version no longer has is drawn as a ghost where it stood
  for (const n of diff.nodes.removed)
    if (cy.getElementById(n.id).empty())
      cy.add({
        group: "nodes",
        data: {
          id: n.id,
          label: `${n.type}/${n.nickname} (removed)`,
          ...(cy.getElementById(envNodeId(n.env)).nonempty() ? { parent: envNodeId(n.env) } : {}),
          kind: n.kind,
        },
        classes: "removed",
      });
  for (const e of diff.edges.removed)
    if (cy.getElementById(e.from).nonempty() && cy.getElementById(e.to).nonempty() && !edgesOf(e)?.nonempty())
      cy.add({
        group: "edges",
        data: { id: `removed:${e.from}→${e.to}#${e.kind}`, source: e.from, target: e.to, kind: e.kind },
        classes: "removed",
      });
}

async function compare(from: number, to: number): Promise<void> {
  try {
    const { diff } = await api.diff(from, to);
    state.diff = { from, to };
    state.at = to;
    writeUrl(state);
    await loadGraph();
    byId<HTMLInputElement>("at").value = String(to);
    byId<HTMLOutputElement>("at-label").value = `v${to}`;
    renderDiff(from, to, diff);
  } catch (error) {
    showError(error);
  }
}

// ── start ────────────────────────────────────────────────────────────────────────────────────

async function start(): Promise<void> {
  applyTheme(
    localStorage.getItem("karma.theme") ??
      (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"),
  );
  renderLegend();
  const input = byId<HTMLInputElement>("selector");
  input.value = state.select;
  byId<HTMLFormElement>("search").addEventListener("submit", (event) => {
    event.preventDefault();
    state.select = input.value.trim();
    state.node = "";
    state.impact = false;
    writeUrl(state);
    void loadGraph();
  });
  byId<HTMLButtonElement>("clear").addEventListener("click", () => {
    input.value = "";
    state.select = "";
    state.at = undefined;
    state.diff = undefined;
    writeUrl(state);
    void loadGraph();
  });
  byId<HTMLFormElement>("versions").addEventListener("submit", (event) => {
    event.preventDefault();
    void compare(Number(byId<HTMLSelectElement>("from").value), Number(byId<HTMLSelectElement>("to").value));
  });
  const slider = byId<HTMLInputElement>("at");
  slider.addEventListener("input", () => {
    byId<HTMLOutputElement>("at-label").value = `v${slider.value}`;
  });
  // the graph as it was at that version: released (change), not on every step of a drag
  slider.addEventListener("change", () => {
    const at = Number(slider.value);
    state.at = at === Number(slider.max) ? undefined : at;
    state.diff = undefined;
    writeUrl(state);
    void loadGraph();
  });
  byId<HTMLButtonElement>("theme").addEventListener("click", () =>
    applyTheme(document.documentElement.dataset.theme === "dark" ? "light" : "dark"),
  );
  document.addEventListener("keydown", (event) => {
    if (
      event.key === "/" &&
      document.activeElement?.tagName !== "INPUT" &&
      document.activeElement?.tagName !== "TEXTAREA"
    ) {
      event.preventDefault();
      input.focus();
    }
  });
  // statuses come from a slower question (Git vs store vs runtime) that would hold up the graph's
  // answer on the server: the graph is drawn first and coloured when they arrive
  await loadGraph();
  await Promise.all([
    loadVersions().catch(showError),
    Promise.all([api.status(), api.driftedResources()]).then(
      ([report, drift]: [EstateStatus, { components: DriftedComponent[] }]) => {
        driftById = new Map(drift.components.map((d) => [d.id, d]));
        statusById = new Map(report.components.map((c) => [c.id, shownState(c.state, driftById.has(c.id))]));
        paintStatus();
      },
      // the graph is still worth showing without colours (e.g. an invalid estate)
      showError,
    ),
  ]);
  if (state.diff) await compare(state.diff.from, state.diff.to);
  else if (state.node) {
    const { node, impact } = state;
    await openNode(node);
    if (impact) await showImpact(node);
  }
  document.body.dataset.ready = "true";
}

void start();

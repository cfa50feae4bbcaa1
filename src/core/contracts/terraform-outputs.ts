/**
 * The `output` blocks of a Terraform/OpenTofu module, read from its `.tf` and `.tf.json` files
 * without Terraform: names, `sensitive` and `description`. `.tf` files go through a small HCL
 * scanner that knows what can hide a brace or the word `output` — comments (`#`, `//`, `/* *\/`),
 * quoted strings with `${…}`/`%{…}` templates (nested strings inside them included) and heredocs
 * (`<<EOF`, `<<-EOF`) — so only real top-level `output "name" { … }` blocks count. O(file size).
 */
import type { JsonValue } from "../estate/model.js";

export interface ModuleOutput {
  name: string;
  sensitive: boolean;
  description?: string;
  /** Module file (as given) that declares it. */
  file: string;
}

export interface ModuleFile {
  path: string;
  text: string;
}

type Token =
  | { kind: "ident"; text: string }
  | { kind: "string"; text: string; literal: boolean }
  | { kind: "punct"; text: string }
  | { kind: "newline" };

/** Tokens of an HCL native-syntax file (numbers and operators come out as punct, which is enough here). */
export function scanHcl(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;

  /** Skips a quoted string starting at `start` (the opening quote); returns [end index, decoded, literal]. */
  const readQuoted = (start: number): [number, string, boolean] => {
    let j = start + 1;
    let out = "";
    let literal = true;
    while (j < n) {
      const c = text[j]!;
      if (c === "\\") {
        const next = text[j + 1] ?? "";
        out += next === "n" ? "\n" : next === "t" ? "\t" : next;
        j += 2;
      } else if ((c === "$" || c === "%") && text[j + 1] === "{" && text[j - 1] !== c) {
        literal = false;
        j = skipTemplate(j + 2);
      } else if (c === '"') return [j + 1, out, literal];
      else if (c === "\n")
        return [j, out, literal]; // unterminated: stop at the line end
      else {
        out += c;
        j++;
      }
    }
    return [j, out, literal];
  };

  /** Skips a template expression body after `${`, up to and including its closing brace. */
  const skipTemplate = (start: number): number => {
    let depth = 1;
    let j = start;
    while (j < n && depth > 0) {
      const c = text[j]!;
      if (c === '"') j = readQuoted(j)[0];
      else {
        if (c === "{") depth++;
        else if (c === "}") depth--;
        j++;
      }
    }
    return j;
  };

  while (i < n) {
    const c = text[i]!;
    if (c === "\n") {
      tokens.push({ kind: "newline" });
      i++;
    } else if (c === " " || c === "\t" || c === "\r") i++;
    else if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === '"') {
      const [end, decoded, literal] = readQuoted(i);
      tokens.push({ kind: "string", text: decoded, literal });
      i = end;
    } else if (c === "<" && text[i + 1] === "<" && /^<<-?[A-Za-z_]/.test(text.slice(i, i + 4))) {
      const match = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[^\n]*\n/.exec(text.slice(i));
      if (!match) {
        tokens.push({ kind: "punct", text: "<" });
        i++;
        continue;
      }
      const marker = match[2]!;
      let j = i + match[0].length;
      const body: string[] = [];
      for (;;) {
        const eol = text.indexOf("\n", j);
        const line = text.slice(j, eol === -1 ? n : eol);
        j = eol === -1 ? n : eol + 1;
        if (line.trim() === marker || j >= n) break;
        body.push(line);
      }
      tokens.push({ kind: "string", text: body.join("\n"), literal: false });
      tokens.push({ kind: "newline" });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_-]/.test(text[j]!)) j++;
      tokens.push({ kind: "ident", text: text.slice(i, j) });
      i = j;
    } else {
      tokens.push({ kind: "punct", text: c });
      i++;
    }
  }
  return tokens;
}

function outputsOfHcl(file: ModuleFile): ModuleOutput[] {
  const tokens = scanHcl(file.text);
  const outputs: ModuleOutput[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === "punct") {
      if ("{[(".includes(t.text)) depth++;
      else if ("}])".includes(t.text)) depth = Math.max(0, depth - 1);
      continue;
    }
    const label = tokens[i + 1];
    const open = tokens[i + 2];
    if (
      depth !== 0 ||
      t.kind !== "ident" ||
      t.text !== "output" ||
      label?.kind !== "string" ||
      open?.kind !== "punct" ||
      open.text !== "{"
    )
      continue;
    const output: ModuleOutput = { name: label.text, sensitive: false, file: file.path };
    // attributes directly in the block body (depth 1 relative to it), at the start of a line
    let inner = 0;
    let lineStart = true;
    let j = i + 3;
    for (; j < tokens.length; j++) {
      const u = tokens[j]!;
      if (u.kind === "newline") {
        lineStart = true;
        continue;
      }
      if (u.kind === "punct" && "{[(".includes(u.text)) inner++;
      else if (u.kind === "punct" && "}])".includes(u.text)) {
        if (inner === 0) break;
        inner--;
      } else if (inner === 0 && lineStart && u.kind === "ident" && tokens[j + 1]?.kind === "punct") {
        const eq = tokens[j + 1] as { text: string };
        const value = tokens[j + 2];
        if (eq.text === "=" && value) {
          if (u.text === "sensitive" && value.kind === "ident") output.sensitive = value.text === "true";
          if (u.text === "description" && value.kind === "string" && value.literal)
            output.description = value.text;
        }
      }
      lineStart = false;
    }
    outputs.push(output);
    i = j;
  }
  return outputs;
}

function outputsOfJson(file: ModuleFile): ModuleOutput[] {
  let document: JsonValue;
  try {
    document = JSON.parse(file.text) as JsonValue;
  } catch {
    return [];
  }
  if (document === null || typeof document !== "object" || Array.isArray(document)) return [];
  const declared = document.output;
  // `.tf.json` allows {"output": {"name": {…}}} and {"output": [{"name": {…}}]}
  const blocks = Array.isArray(declared) ? declared : [declared];
  const outputs: ModuleOutput[] = [];
  for (const block of blocks) {
    if (block === null || typeof block !== "object" || Array.isArray(block)) continue;
    for (const [name, body] of Object.entries(block)) {
      const attrs = body !== null && typeof body === "object" && !Array.isArray(body) ? body : {};
      outputs.push({
        name,
        sensitive: attrs.sensitive === true,
        ...(typeof attrs.description === "string" ? { description: attrs.description } : {}),
        file: file.path,
      });
    }
  }
  return outputs;
}

/** Every output declared by the module's files (`.tf`, `.tf.json`), sorted by name. */
export function moduleOutputs(files: readonly ModuleFile[]): ModuleOutput[] {
  const all: ModuleOutput[] = [];
  for (const file of files) {
    if (file.path.endsWith(".tf.json")) all.push(...outputsOfJson(file));
    else if (file.path.endsWith(".tf")) all.push(...outputsOfHcl(file));
  }
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

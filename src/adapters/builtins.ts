/**
 * Node built-ins that cost start-up time to load (a few ms each) and that only some commands
 * use: modules call `builtin(...)` where they need one instead of importing it, so a command that
 * merely imports them (every command reaches the git and lock adapters) does not pay for it.
 */
import { createRequire } from "node:module";

interface LazyBuiltins {
  "node:child_process": typeof import("node:child_process");
  "node:crypto": typeof import("node:crypto");
}

export function builtin<ID extends keyof LazyBuiltins>(id: ID): LazyBuiltins[ID] {
  // process.getBuiltinModule is Node ≥ 20.16; earlier 20.x (which "engines" admits) require it
  return typeof process.getBuiltinModule === "function"
    ? process.getBuiltinModule(id)
    : (createRequire(import.meta.url)(id) as LazyBuiltins[ID]);
}

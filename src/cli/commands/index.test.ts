/**
 * Top-level help and "did you mean" come from the summaries in `index.ts`, not the command
 * modules: they must say exactly what the modules register, or `karma --help` would drift from
 * `karma <cmd> --help`.
 */
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMANDS, registerCommands } from "./index.js";

function program(): Command {
  return new Command("karma").option("-C, --dir <path>", "estate directory").exitOverride();
}

describe("command summaries", () => {
  it("top-level help from the summaries equals help with every module registered", async () => {
    const light = program();
    await registerCommands(light, ["--help"]);
    const full = program();
    const modules = await Promise.all(Object.values(COMMANDS).map((c) => c.load()));
    for (const module of new Set(modules)) module.register(full);
    expect(full.commands.map((c) => c.name())).toEqual(Object.keys(COMMANDS));
    expect(light.helpInformation()).toBe(full.helpInformation());
  });

  it("a named command registers its own module, with its subcommands", async () => {
    const p = program();
    await registerCommands(p, ["-C", "estate", "graph", "impact", "dev:network/main"]);
    expect(p.commands.map((c) => c.name())).toEqual(["graph"]);
    expect(p.commands[0]?.commands.map((c) => c.name())).toContain("impact");
  });

  it("`help <command>` registers that command's module for its full help", async () => {
    const p = program();
    await registerCommands(p, ["help", "graph"]);
    expect(p.commands.map((c) => c.name())).toEqual(["graph"]);
    expect(p.commands[0]?.commands.length).toBeGreaterThan(0);
  });
});

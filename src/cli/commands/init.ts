import { resolve } from "node:path";
import type { Command } from "commander";
import { fsEstateFiles } from "../../adapters/fs/fs-estate-reader.js";
import { initEstate } from "../../operations/scaffold.js";

export function register(program: Command): void {
  program
    .command("init")
    .description("scaffold an empty estate (karma.json, iac/<env>/, types/)")
    .argument("[dir]", "directory", ".")
    .option("--env <names...>", "environments to create", ["dev"])
    .action((dir: string, opts: { env: string[] }) => {
      const root = resolve(dir);
      for (const path of initEstate(fsEstateFiles(root), opts.env)) process.stdout.write(`created ${path}\n`);
      process.stdout.write(
        `\nnext: add iac/${opts.env[0]}/<type>/<nickname>/config.json, then karma -C ${dir} validate\n`,
      );
    });
}

/** Reading a command's input file argument, where `-` means stdin. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UserError } from "../core/errors.js";

/** The text of `input` (a path, or `-` for stdin); a UserError naming `what` when it cannot be read. */
export function readInputText(input: string, what: string, fix: string): string {
  try {
    return input === "-" ? readFileSync(0, "utf8") : readFileSync(resolve(input), "utf8");
  } catch (error) {
    throw new UserError(
      `cannot read the ${what} ${input} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      fix,
    );
  }
}

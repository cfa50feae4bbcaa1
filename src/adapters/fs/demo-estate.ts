/** The demo estate shipped with Karma, written into a directory on disk (`karma demo`, tests, bench). */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { type DemoEstateOptions, writeDemoEstate } from "../../operations/scaffold.js";
import { cliGitReader } from "../git/git-reader.js";
import { fsEstateFiles } from "./fs-estate-reader.js";

/** The demo estate's template (src/demo/estate, the same path from src/ and dist/). */
export const DEMO_TEMPLATE = fileURLToPath(new URL("../../../src/demo/estate", import.meta.url));

/** Writes the demo estate into `dir` and commits it; false when `dir` already holds an estate. */
export function writeDemoEstateAt(
  dir: string,
  options: Pick<DemoEstateOptions, "gremlinEndpoint"> = {},
): Promise<boolean> {
  return writeDemoEstate(
    { files: fsEstateFiles(dir), git: cliGitReader(dir) },
    fsEstateFiles(DEMO_TEMPLATE),
    {
      ...options,
      namespaceSuffix: randomBytes(4).toString("hex"),
    },
  );
}

/**
 * Every CLI command lives in its own file under this folder and exports `register(program)`.
 * Commands compute data with the core and adapters; printing stays in the command file (or a
 * `print*` helper beside it); only `cli/main.ts` exits. Add one import and one array entry per
 * command module.
 */
import type { Command } from "commander";
import { register as registerApply } from "./apply.js";
import { register as registerDemo } from "./demo.js";
import { register as registerDeploy } from "./deploy.js";
import { register as registerDestroy } from "./destroy.js";
import { register as registerDrift } from "./drift.js";
import { register as registerGraph } from "./graph.js";
import { register as registerInit } from "./init.js";
import { register as registerLock } from "./lock.js";
import { register as registerLog } from "./log.js";
import { register as registerOutputs } from "./outputs.js";
import { register as registerParam } from "./param.js";
import { register as registerPlan } from "./plan.js";
import { register as registerProposeChange } from "./propose-change.js";
import { register as registerPublish } from "./publish.js";
import { register as registerServe } from "./serve.js";
import { register as registerStatus } from "./status.js";
import { register as registerValidate } from "./validate.js";

const commands: Array<(program: Command) => void> = [
  registerInit,
  registerDemo,
  registerPublish,
  registerStatus,
  registerValidate,
  registerParam,
  registerGraph,
  registerServe,
  registerPlan,
  registerProposeChange,
  registerDeploy,
  registerApply,
  registerDrift,
  registerDestroy,
  registerOutputs,
  registerLog,
  registerLock,
];

export function registerCommands(program: Command): void {
  for (const register of commands) register(program);
}

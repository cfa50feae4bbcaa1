/**
 * Opens a {@link Session} from karma.json and the environment. Nothing is opened up front: each
 * store, the graph store, the audit log, the locks and the runners are opened (and their modules
 * imported) on first use, so a command that reads the graph never loads the AWS SDK or Terraform
 * plumbing.
 */

import { existsSync } from "node:fs";
import type { AuditSource } from "../../core/audit/entry.js";
import { UserError } from "../../core/errors.js";
import type { ProjectSettings } from "../../core/estate/model.js";
import { defaultEnvironment } from "../../core/estate/settings.js";
import { describeParameterWrite } from "../../core/parameters/writes.js";
import type { Session } from "../../operations/session.js";
import type { AuditLog } from "../../ports/audit-log.js";
import type { GraphStore } from "../../ports/graph-store.js";
import type { EnvironmentLock } from "../../ports/lock.js";
import type { ParameterStore } from "../../ports/parameter-store.js";
import { fsEstateReader } from "../fs/fs-estate-reader.js";
import { readProjectSettings } from "../fs/settings-reader.js";
import { cliGitReader } from "../git/git-reader.js";
import { currentActor } from "../git/provenance.js";

export interface OpenSessionOptions {
  /** The estate root (holding karma.json); or pass `settings` already read. */
  root?: string;
  settings?: ProjectSettings;
  source: AuditSource;
  /** Defaults to `KARMA_ACTOR`, else `user@host`. */
  actor?: string;
  /** Where `KARMA_*` settings are read from; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
}

export function openSession(options: OpenSessionOptions): Session {
  const settings =
    options.settings ?? readProjectSettings(requireRoot(options.root), options.env ?? process.env);
  const now = options.now ?? (() => new Date());
  const actor = options.actor ?? currentActor(options.env ?? process.env);
  const opened: Array<{ close(): Promise<void> }> = [];
  /** Opens once; a failed open is forgotten so that the next call tries again. */
  const once = <T extends { close(): Promise<void> }>(open: () => Promise<T>) => {
    let pending: Promise<T> | undefined;
    return () => {
      if (!pending) {
        pending = open().then((value) => {
          opened.push(value);
          return value;
        });
        pending.catch(() => {
          pending = undefined;
        });
      }
      return pending;
    };
  };
  const stores = new Map<string, () => Promise<ParameterStore>>();
  const locks = new Map<string, () => Promise<EnvironmentLock>>();
  const environment = (name: string) => {
    const env = settings.environments.find((e) => e.name === name);
    if (env) return env;
    if (settings.environments.length === 0 && name === "default") return defaultEnvironment(settings);
    const names = settings.environments.map((e) => e.name);
    throw new UserError(
      `unknown environment "${name}"`,
      names.length ? `use one of: ${names.join(", ")}` : `list it in karma.json "environments"`,
    );
  };
  const estateGraph = once<GraphStore>(async () =>
    (await import("../graph-store/factory.js")).openGraphStore(settings),
  );
  const whatIfGraph = once<GraphStore>(async () =>
    (await import("../graph-store/factory.js")).openGraphStore(settings, { whatIf: true }),
  );
  const graph = (options: { whatIf?: boolean } = {}) => (options.whatIf ? whatIfGraph() : estateGraph());
  const auditLog = once<AuditLog>(async () =>
    (await import("../audit/factory.js")).openAuditLog(settings, { now }),
  );
  let closed: Promise<void> | undefined;

  const session: Session = {
    settings,
    actor,
    source: options.source,
    now,
    estate: fsEstateReader(settings),
    git: cliGitReader(settings.root),
    environment,
    async store(name) {
      let open = stores.get(name);
      if (!open) {
        const env = environment(name);
        open = once(async () =>
          (await import("../parameter-store/factory.js")).openParameterStore(settings, env),
        );
        stores.set(name, open);
      }
      return open();
    },
    graph,
    async builtGraph() {
      const { graphDatabaseFile } = await import("../graph-store/factory.js");
      if (settings.graph.kind === "sqlite" && !existsSync(graphDatabaseFile(settings))) return undefined;
      return graph();
    },
    auditLog,
    async record(entries) {
      const list = Array.isArray(entries) ? entries : [entries];
      const log = await auditLog();
      return log.appendAll(list.map((e) => ({ actor, source: options.source, ...e })));
    },
    async lock(name) {
      let open = locks.get(name);
      if (!open) {
        const env = environment(name);
        open = once(async () =>
          (await import("../lock/factory.js")).openEnvironmentLock(settings, env, await session.store(name)),
        );
        locks.set(name, open);
      }
      return open();
    },
    async serveStore(name) {
      const store = await session.store(name);
      const { startServer } = await import("../http/server.js");
      // a module writing through the endpoint (e.g. its own runtime) acts for the session's actor
      return startServer({
        port: 0,
        ssm: {
          storeFor: () => store,
          onWrite: async (write) => {
            await session.record({
              status: "ok",
              env: name,
              ...describeParameterWrite(write),
              source: "ssm-api",
            });
          },
        },
      });
    },
    async runner(type) {
      return (await import("../runners/factory.js")).runnerForType(settings, type);
    },
    async tester(type) {
      return (await import("../component-tests/factory.js")).testerForType(settings, type);
    },
    close() {
      // locks before the stores they may lock in; everything else in reverse order of opening
      closed ??= (async () => {
        const errors: unknown[] = [];
        for (const resource of opened.reverse()) {
          try {
            await resource.close();
          } catch (error) {
            errors.push(error);
          }
        }
        if (errors.length > 0) throw errors[0];
      })();
      return closed;
    },
  };
  return session;
}

function requireRoot(root: string | undefined): string {
  if (root === undefined) throw new TypeError("openSession needs the estate root or its settings");
  return root;
}

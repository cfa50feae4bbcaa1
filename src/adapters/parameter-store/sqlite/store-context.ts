/** What every part of the embedded store works with: one namespace of one SQLite file. */
import type { Db } from "../../sqlite/database.js";
import type { SecureValues } from "./secure-values.js";
import type { Statements } from "./statements.js";

export interface StoreContext {
  readonly db: Db;
  readonly sql: Statements;
  /** The environment this store serves. */
  readonly ns: string;
  /** `arn:aws:ssm:<region>:<account>:parameter`, without the name. */
  readonly arnPrefix: string;
  /** LastModifiedUser of what this store writes. */
  readonly user: string;
  readonly now: () => Date;
  readonly secure: SecureValues;
}

/**
 * Karma's parameter layout inside one environment's store:
 *   <prefix>/<type>/<nickname>/config    published intent
 *   <prefix>/<type>/<nickname>/runtime   what was deployed
 *   <prefix>/environment                 which environment the store serves
 *   /external/<type>/<nickname>/runtime  systems not deployed by Karma
 */

export type ParameterKind = "config" | "runtime";

export function componentParameterName(
  prefix: string,
  type: string,
  nickname: string,
  kind: ParameterKind,
): string {
  return `${prefix}/${type}/${nickname}/${kind}`;
}

export function environmentParameterName(prefix: string): string {
  return `${prefix}/environment`;
}

export const EXTERNAL_PREFIX = "/external";

export interface ParsedParameterName {
  type: string;
  nickname: string;
  kind: ParameterKind;
}

/** Recognises `<prefix>/<type>/<nickname>/config|runtime`; anything else is not a component parameter. */
export function parseComponentParameterName(prefix: string, name: string): ParsedParameterName | undefined {
  if (!name.startsWith(`${prefix}/`)) return undefined;
  const parts = name.slice(prefix.length + 1).split("/");
  if (parts.length !== 3) return undefined;
  const [type, nickname, kind] = parts as [string, string, string];
  if (kind !== "config" && kind !== "runtime") return undefined;
  return { type, nickname, kind };
}

/**
 * Turns a command's selector argument into a predicate over component addresses.
 * Interim: exact ids and globs over `env:type/nickname` / `type/nickname`; the selector language
 * (src/core/selectors) replaces this.
 */
import picomatch from "picomatch";
import type { ComponentAddress, Estate } from "../core/estate/model.js";

export function selectionFrom(
  selector: string | undefined,
  _estate: Estate,
): (a: ComponentAddress) => boolean {
  if (selector === undefined || selector === "") return () => true;
  const match = picomatch(selector);
  return (a) => match(`${a.env}:${a.type}/${a.nickname}`) || match(`${a.type}/${a.nickname}`);
}
